import Foundation
import Testing

@testable import PSNCore

/// The safetensors writer and reader: round trips, interoperability with the Python reference
/// implementation (both directions, through committed fixtures made by
/// `scripts/make-persistence-fixtures.py`), and a clear error for every kind of damage.
@Suite struct PersistenceSafeTensorsTests {
  /// The tensors of scripts/make-persistence-fixtures.py's EXPECTED, value for value.
  static let expected = SafeTensorsFile(
    tensors: [
      "layers/0/weight": SafeTensor(
        [0.5, -1.25, 3.0, 1e-8, -0.0, 65504.0] as [Float], shape: [2, 3]),
      "layers/0/bias": SafeTensor([0.1, -0.2] as [Double]),
      "layers/0/mask": SafeTensor([true, false, true, false, false, true], shape: [2, 3]),
      "fan_in": SafeTensor([3, 1, 2] as [Int32]),
      "step": SafeTensor([123_456_789_012] as [Int64], shape: []),
      "rng_state": SafeTensor([UInt64.max, 0, 12345, 1 << 63] as [UInt64]),
      "pixels": SafeTensor([0, 127, 255] as [UInt8]),
      "empty": SafeTensor([Float](), shape: [0, 4]),
      // F16 1.0 and −2.0: carried as raw bytes.
      "half": SafeTensor(dtype: .float16, shape: [2], bytes: [0x00, 0x3C, 0x00, 0xC0])!,
    ],
    metadata: ["format": "psn-test", "note": "written by the reference implementation"])

  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/persistence")

  static func fixture(_ name: String) throws -> URL {
    try #require(
      Bundle.module.url(
        forResource: name, withExtension: "safetensors", subdirectory: "Fixtures/persistence"))
  }

  @Test func roundTripKeepsEveryTensorAndTheMetadata() throws {
    let bytes = try Self.expected.encoded()
    let decoded = try SafeTensorsFile(decoding: bytes, source: "memory")
    #expect(decoded == Self.expected)
    #expect(try decoded.values("layers/0/weight", as: Float.self, shape: [2, 3])[4].sign == .minus)
    #expect(try decoded.values("rng_state", as: UInt64.self) == [UInt64.max, 0, 12345, 1 << 63])
    #expect(try decoded.bools("layers/0/mask") == [true, false, true, false, false, true])
    #expect(try decoded.values("step", as: Int64.self, shape: []) == [123_456_789_012])
    #expect(try decoded.values("empty", as: Float.self, shape: [0, 4]) == [])
  }

  @Test func headerIsPaddedAndTensorsAreAligned() throws {
    let bytes = try Self.expected.encoded()
    let headerLength = Int(bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    #expect(headerLength % 8 == 0)
    let header = try SafeTensorsHeader.decode(bytes[8..<(8 + headerLength)], file: "memory")
    for (name, entry) in header.entries {
      let size = try #require(SafeTensorDType(rawValue: entry.dtype)).byteSize
      #expect(entry.dataOffsets[0] % size == 0, "\(name) starts unaligned")
    }
  }

  @Test func writeAndReadAFile() throws {
    try withTemporaryDirectory { directory in
      let url = directory.appendingPathComponent("model.safetensors")
      try Self.expected.write(to: url)
      let read = try SafeTensorsFile(contentsOf: url)
      #expect(read == Self.expected)
      #expect(read.source == url.path)
    }
  }

  @Test func readsAFileWrittenByPythonSafetensors() throws {
    let read = try SafeTensorsFile(contentsOf: try Self.fixture("python-written"))
    #expect(read == Self.expected)
    #expect(
      try read.values("layers/0/weight", as: Float.self) == [0.5, -1.25, 3.0, 1e-8, -0.0, 65504.0])
    #expect(try read.values("layers/0/bias", as: Double.self) == [0.1, -0.2])
    #expect(try read.values("fan_in", as: Int32.self) == [3, 1, 2])
    #expect(try read.values("pixels", as: UInt8.self) == [0, 127, 255])
  }

  /// Python's `safetensors.numpy.load_file` read swift-written.safetensors and found these
  /// tensors (scripts/make-persistence-fixtures.py checks it). The writer must keep producing
  /// exactly those bytes; `PSN_RECORD_FIXTURES=1` re-records the file after a deliberate change,
  /// which must then be re-checked with that script.
  @Test func writerOutputMatchesTheFileCheckedByPython() throws {
    let bytes = try Self.expected.encoded()
    let recorded = Self.fixtures.appendingPathComponent("swift-written.safetensors")
    if ProcessInfo.processInfo.environment["PSN_RECORD_FIXTURES"] == "1" {
      try Data(bytes).write(to: recorded)
    }
    #expect(try Data(contentsOf: Self.fixture("swift-written")) == Data(bytes))
  }

  @Test func missingFileNamesThePathAndTheReason() {
    let path = "/nonexistent-psn-dir/model.safetensors"
    #expect {
      _ = try SafeTensorsFile(contentsOf: URL(fileURLWithPath: path))
    } throws: { error in
      "\(error)"
        == "\(path): cannot read: open \(path): No such file or directory (check the path and permissions)"
    }
  }

  @Test func typedAccessExplainsMismatches() throws {
    let file = SafeTensorsFile(
      tensors: ["w": SafeTensor([1, 2, 3, 4] as [Float], shape: [2, 2])],
      source: "ws/model.safetensors")
    func message(_ body: () throws -> Void) -> String {
      do { try body() } catch { return "\(error)" }
      return "no error"
    }
    let again = "the file was written for another object or by another version"
    #expect(
      message { _ = try file.values("b", as: Float.self) }
        == "ws/model.safetensors: no tensor named 'b' (\(again))")
    #expect(
      message { _ = try file.values("w", as: Double.self) }
        == "ws/model.safetensors: tensor 'w' is F32, expected F64 (\(again))")
    #expect(
      message { _ = try file.values("w", as: Float.self, shape: [4]) }
        == "ws/model.safetensors: tensor 'w' has shape [2, 2], expected [4] (\(again))")
    let reserved = SafeTensorsFile(tensors: ["__metadata__": SafeTensor([1] as [Float])])
    #expect(
      message { _ = try reserved.encoded() }
        == "<memory>: cannot store a tensor named '__metadata__' (use a non-empty name other than '__metadata__')"
    )
  }

  // MARK: Damage

  /// A file from a literal header and byte buffer (the header is not padded).
  static func file(header: String, buffer: [UInt8]) -> [UInt8] {
    let json = Array(header.utf8)
    return withUnsafeBytes(of: UInt64(json.count).littleEndian) { Array($0) } + json + buffer
  }

  /// A file holding one 4-byte tensor 'w' described by `entry` (JSON).
  static func single(_ entry: String) -> [UInt8] {
    file(header: #"{"w":"# + entry + "}", buffer: [0, 0, 0, 0])
  }

  struct Damage: Sendable, CustomTestStringConvertible {
    var testDescription: String
    var bytes: @Sendable () throws -> [UInt8]
    var problem: SafeTensorsError.Problem
  }

  static let damages: [Damage] = [
    Damage(testDescription: "empty file", bytes: { [] }, problem: .truncated(fileSize: 0)),
    Damage(
      testDescription: "cut inside the length field",
      bytes: { Array(try expected.encoded()[..<5]) },
      problem: .truncated(fileSize: 5)),
    Damage(
      testDescription: "cut inside the header",
      bytes: { Array(file(header: #"{"__metadata__":{"k":"v"}}"#, buffer: [])[..<18]) },
      problem: .headerLengthOutOfRange(claimed: 26, available: 10)),
    Damage(
      testDescription: "cut inside the data",
      bytes: { Array(try expected.encoded().dropLast()) },
      // pixels (U8, last by size then name) is the last tensor of the 105-byte buffer.
      problem: .offsetsOutOfRange(tensor: "pixels", begin: 102, end: 105, bufferSize: 104)),
    Damage(
      testDescription: "absurd header length",
      bytes: { [UInt8](repeating: 0xFF, count: 8) + Array("{}".utf8) },
      problem: .headerLengthOutOfRange(claimed: UInt64.max, available: 2)),
    Damage(
      testDescription: "header length over the 100 MB limit",
      bytes: {
        withUnsafeBytes(of: UInt64(200_000_000).littleEndian) { Array($0) }
          + [UInt8](repeating: 0x20, count: 16)
      },
      problem: .headerLengthOutOfRange(claimed: 200_000_000, available: 16)),
    Damage(
      testDescription: "not JSON", bytes: { file(header: "{\"w\": {\"dtype\": F32}}", buffer: []) },
      problem: .malformedHeader(detail: "not valid JSON")),
    Damage(
      testDescription: "header not an object", bytes: { file(header: "[1, 2]", buffer: []) },
      problem: .malformedHeader(detail: "does not start with '{'")),
    Damage(
      testDescription: "missing dtype",
      bytes: { single(#"{"shape":[1],"data_offsets":[0,4]}"#) },
      problem: .malformedHeader(detail: "at 'w': missing 'dtype'")),
    Damage(
      testDescription: "fractional offset",
      bytes: { single(#"{"dtype":"F32","shape":[1],"data_offsets":[0,4.5]}"#) },
      problem: .malformedHeader(
        detail: "at 'w'.'data_offsets': expected integers, found [0.0, 4.5]")),
    Damage(
      testDescription: "metadata value not a string",
      bytes: { file(header: #"{"__metadata__":{"epochs":30}}"#, buffer: []) },
      problem: .malformedHeader(detail: "at '__metadata__'.'epochs': expected a string")),
    Damage(
      testDescription: "three offsets",
      bytes: { single(#"{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}"#) },
      problem: .malformedHeader(detail: "tensor 'w': data_offsets must be [begin, end]")),
    Damage(
      testDescription: "offsets reversed",
      bytes: { single(#"{"dtype":"F32","shape":[1],"data_offsets":[4,0]}"#) },
      problem: .malformedHeader(detail: "tensor 'w': data_offsets [4, 0] are not 0 ≤ begin ≤ end")),
    Damage(
      testDescription: "negative dimension",
      bytes: { single(#"{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}"#) },
      problem: .malformedHeader(
        detail: "tensor 'w': shape [-1] has a negative or too large dimension")
    ),
    Damage(
      testDescription: "shape overflows",
      bytes: { single(#"{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,4]}"#) },
      problem: .malformedHeader(
        detail: "tensor 'w': shape [4294967296, 4294967296] has a negative or too large dimension")),
    Damage(
      testDescription: "unknown dtype",
      bytes: { single(#"{"dtype":"F33","shape":[1],"data_offsets":[0,4]}"#) },
      problem: .unknownDType(tensor: "w", dtype: "F33")),
    Damage(
      testDescription: "offsets past the buffer",
      bytes: { single(#"{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#) },
      problem: .offsetsOutOfRange(tensor: "w", begin: 0, end: 8, bufferSize: 4)),
    Damage(
      testDescription: "size disagrees with shape",
      bytes: { single(#"{"dtype":"F32","shape":[2],"data_offsets":[0,4]}"#) },
      problem: .sizeMismatch(tensor: "w", expectedBytes: 8, actualBytes: 4)),
    Damage(
      testDescription: "overlapping tensors",
      bytes: {
        file(
          header:
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
          buffer: [UInt8](repeating: 0, count: 12))
      },
      problem: .overlap(tensor: "b", other: "a")),
    Damage(
      testDescription: "hole between tensors",
      bytes: {
        file(
          header:
            #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#,
          buffer: [UInt8](repeating: 0, count: 12))
      },
      problem: .gap(before: "b", begin: 4, end: 8)),
    Damage(
      testDescription: "bytes after the last tensor",
      bytes: {
        file(
          header: #"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}"#,
          buffer: [1, 2, 3])
      },
      problem: .unindexedTail(begin: 2, bufferSize: 3)),
  ]

  @Test(arguments: damages) func damagedFileThrowsAndNamesTheFile(_ damage: Damage) throws {
    let bytes = try damage.bytes()
    #expect {
      _ = try SafeTensorsFile(decoding: bytes, source: "ws/model.safetensors")
    } throws: { error in
      guard let error = error as? SafeTensorsError else { return false }
      return error.problem == damage.problem && error.file == "ws/model.safetensors"
        && error.description.hasPrefix("ws/model.safetensors: ")
    }
  }

  @Test func damageMessagesReadWell() {
    let damaged = "the file is damaged or is not a safetensors file; restore it or save again"
    let cases: [(SafeTensorsError.Problem, String)] = [
      (
        .truncated(fileSize: 5), "only 5 bytes, too short for the 8-byte header length (\(damaged))"
      ),
      (
        .sizeMismatch(tensor: "w", expectedBytes: 8, actualBytes: 4),
        "tensor 'w' spans 4 bytes but its shape and dtype need 8 (\(damaged))"
      ),
      (
        .unknownDType(tensor: "w", dtype: "F33"),
        "tensor 'w' has unknown dtype 'F33' (psn reads BOOL, U8, I8, U16, I16, F16, BF16, U32, I32, F32, U64, I64, F64)"
      ),
    ]
    for (problem, text) in cases {
      #expect(
        SafeTensorsError(file: "m.safetensors", problem: problem).description
          == "m.safetensors: \(text)")
    }
  }

  /// Random truncations and byte flips of a valid file either decode or throw a
  /// SafeTensorsError; none may trap (a trap would end the test process).
  @Test func randomDamageNeverTraps() throws {
    let valid = try Self.expected.encoded()
    var random = PSNRandom(seed: 7, stream: "safetensors-damage")
    var thrown = 0
    for trial in 0..<3000 {
      var bytes = valid
      if trial % 3 == 0 {
        bytes = Array(bytes[..<random.nextInt(below: bytes.count)])
      } else {
        for _ in 0...random.nextInt(below: 4) {
          bytes[random.nextInt(below: bytes.count)] = UInt8(truncatingIfNeeded: random.next())
        }
      }
      do {
        _ = try SafeTensorsFile(decoding: bytes, source: "fuzz")
      } catch {
        thrown += 1
      }
    }
    #expect(thrown > 1000)
  }
}
