import Foundation
import Testing

@testable import PSNCore

/// Dataset fingerprints (XXH64 against reference values) and the saved form of data requests.
@Suite struct WorkspaceFingerprintTests {
  /// Published XXH64 values (seed 0) and values computed by Python's `xxhash.xxh64(data)
  /// .intdigest()` (python-xxhash 4.1.0), covering the short path (< 32 bytes), whole 32-byte stripes, and every
  /// kind of tail (8-byte words, a 4-byte word, single bytes).
  static let published: [(bytes: [UInt8], hash: UInt64)] = [
    ([], 0xEF46_DB37_51D8_E999),
    (Array("a".utf8), 0xD24E_C4F1_A98C_6E5B),
    (Array("abc".utf8), 0x44BC_2CF5_AD77_0999),
    (Array("Nobody inspects the spammish repetition".utf8), 0xFBCE_A83C_8A37_8BF1),
    (threeTimes0To255 + Array("psn".utf8), 0x4471_0E6A_7BF4_3567),
  ]
  static let threeTimes0To255: [UInt8] = Array(repeating: Array(0...255), count: 3).flatMap { $0 }
  static var vectors: [(bytes: [UInt8], hash: UInt64)] {
    published + lengths.map { (pattern($0.0), $0.1) }
  }

  /// `bytes(i * 7 + 3 & 0xFF for i in range(n))` for lengths around the stripe size.
  static func pattern(_ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) } }
  static let lengths: [(Int, UInt64)] = [
    (4, 0x9BB6_4B7D_66EE_9FDA), (12, 0xD52E_4078_33AF_5133), (31, 0xA2AA_5F33_CC4A_6119),
    (32, 0x23C3_C17E_F790_FD97), (45, 0x86FA_EE00_897C_4B41), (100, 0xA61F_8D4C_170F_E531),
  ]

  @Test func xxHash64MatchesTheReference() {
    for (bytes, hash) in Self.vectors {
      #expect(bytes.withUnsafeBytes { XXHash64.hash($0) } == hash, "length \(bytes.count)")
    }
  }

  static let request = DataRequest(
    .synthetic(SyntheticSpec(n: 300, features: 6, classes: 3)), validation: .count(30), seed: 9)
  static func data() throws -> Dataset { try DataLoader.load(request) }

  @Test func fingerprintOfTheSameDataMatches() throws {
    let a = DatasetFingerprint(try Self.data())
    #expect(a == DatasetFingerprint(try Self.data()))
    #expect(a.train.count == 210 && a.validation?.count == 30 && a.test.count == 60)
    try a.verify(try Self.data(), name: "syn")
  }

  @Test func reloadingAnEntryLoadsAndVerifies() throws {
    let entry = WorkspaceSnapshot.DatasetEntry(
      name: "syn", request: Self.request, dataset: try Self.data())
    #expect(DatasetFingerprint(try entry.reload()) == entry.fingerprint)
    var changed = entry
    changed.fingerprint.test.labelsHash ^= 1
    #expect(throws: DatasetFingerprintMismatch.self) { try changed.reload() }
  }

  struct Change: Sendable, CustomTestStringConvertible {
    var testDescription: String
    var apply: @Sendable (inout Dataset) -> Void
    var detail: String
  }

  static let changes: [Change] = [
    Change(
      testDescription: "one feature bit",
      apply: { $0.train.features[100] = Float(bitPattern: $0.train.features[100].bitPattern ^ 1) },
      detail: "the training features differ"),
    Change(
      testDescription: "one label", apply: { $0.test.labels[3] = ($0.test.labels[3] + 1) % 3 },
      detail: "the test labels differ"),
    Change(
      testDescription: "one sample fewer",
      apply: {
        $0.test.labels.removeLast()
        $0.test.features.removeLast(6)
      },
      detail: "59 test samples, 60 when saved"),
    Change(
      testDescription: "no validation split", apply: { $0.validation = nil },
      detail: "no validation split, 30 samples when saved"),
    Change(
      testDescription: "another class count", apply: { $0.classCount = 4 },
      detail: "4 classes, 3 when saved"),
  ]

  @Test(arguments: changes) func fingerprintNamesTheFirstDifference(_ change: Change) throws {
    let saved = DatasetFingerprint(try Self.data())
    var now = try Self.data()
    change.apply(&now)
    #expect {
      try saved.verify(now, name: "syn")
    } throws: { error in
      let text = "\(error)"
      return text.hasPrefix(
        "dataset 'syn': the data loaded now differ from the data the workspace was saved with: \(change.detail)"
      )
        && text.hasSuffix(
          "(the files changed since the save: restore them, or load the data again under a new name)"
        )
    }
  }

  @Test func requestsRoundTripThroughJSON() throws {
    let requests = [
      DataRequest(.fashion),
      DataRequest(.mnist, directory: "/data/mnist", validation: .count(5000), seed: 2),
      DataRequest(.emnist(split: .letters), validation: .fraction(0.1)),
      DataRequest(.covtype, seed: UInt64.max),
      Self.request,
      DataRequest(.synthetic(SyntheticSpec(informative: 5, noise: 0.5))),
    ]
    for request in requests {
      let json = try ArchiveJSON.encoder().encode(request)
      #expect(try ArchiveJSON.decoder().decode(DataRequest.self, from: json) == request)
    }
  }

  @Test func savedRequestsAreValidatedLikeTypedOnes() {
    let refused = [
      #"{"source": "fashoin", "seed": 0}"#,
      #"{"source": "emnist", "split": "greek", "seed": 0}"#,
      #"{"source": "mnist", "validation": {"fraction": 0.1, "count": 5}, "seed": 0}"#,
      #"{"source": "mnist", "validation": {"count": -1}, "seed": 0}"#,
      #"{"source": "synthetic", "synthetic": {"n": 1, "features": 2, "classes": 2, "clusters": 1, "separation": 1, "noise": 1, "testFraction": 0.5}, "seed": 0}"#,
    ]
    for json in refused {
      #expect(throws: DecodingError.self, "\(json)") {
        try ArchiveJSON.decoder().decode(DataRequest.self, from: Data(json.utf8))
      }
    }
  }

  /// Opt-in measurement on Fashion-MNIST: `PSN_MEASURE_FINGERPRINT=1 swift test ... --filter
  /// fashionFingerprintTime`. Prints, asserts nothing about time.
  @Test func fashionFingerprintTime() throws {
    guard ProcessInfo.processInfo.environment["PSN_MEASURE_FINGERPRINT"] == "1" else { return }
    let data = try DataLoader.load(DataRequest(.fashion))
    var best = Double.infinity
    var fingerprint: DatasetFingerprint?
    for _ in 0..<5 {
      let clock = ContinuousClock.now
      fingerprint = DatasetFingerprint(data)
      best = min(best, (ContinuousClock.now - clock).seconds)
    }
    let bytes = (data.train.features.count + data.test.features.count) * 4
    print(
      "fashion fingerprint: best of 5 \(best * 1000) ms for \(bytes) feature bytes, \(Double(bytes) / best / 1e9) GB/s: \(fingerprint!)"
    )
  }
}
