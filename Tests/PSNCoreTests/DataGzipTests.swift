import Testing

@testable import PSNCore

@Suite struct DataGzipTests {
  let file = "x.gz"

  func problem(_ bytes: [UInt8]) -> String? {
    do {
      _ = try Gzip.inflate(bytes, file: file)
      return nil
    } catch {
      guard case .corrupt(let f, let problem) = error, f == file else { return "\(error)" }
      return problem
    }
  }

  @Test(arguments: [0, 1, 1000, 100_000])
  func roundTrip(count: Int) throws {
    let data = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
    #expect(try Gzip.inflate(DataFixtures.gzip(data), file: file) == data)
  }

  /// Concatenated members are one gzip file (RFC 1952 §2.2); the trailer's ISIZE then covers
  /// only the last member, so this also exercises growing the output past the ISIZE hint.
  @Test func concatenatedMembers() throws {
    let a = [UInt8](repeating: 7, count: 300_000)
    let b: [UInt8] = [1, 2, 3]
    #expect(try Gzip.inflate(DataFixtures.gzip(a) + DataFixtures.gzip(b), file: file) == a + b)
  }

  @Test func damage() {
    let good = DataFixtures.gzip((0..<5000).map { UInt8($0 % 251) })
    #expect(problem([0x1f, 0x8b, 8]) == "too short to be gzip data (3 bytes)")
    #expect(
      problem([0x50, 0x4b] + good.dropFirst(2))
        == "not gzip data (starts with 0x50 0x4b, gzip starts with 0x1f 0x8b)")
    #expect(problem(Array(good.dropLast(100))) == "truncated: the compressed data ends early")
    #expect(problem(good + [0, 0, 0]) == "3 bytes of trailing data after the gzip stream")
    var crc = good
    crc[crc.count - 6] ^= 0xff
    #expect(problem(crc) == "bad gzip data: incorrect data check")
    var length = good
    length[length.count - 2] ^= 0x01
    #expect(problem(length) == "bad gzip data: incorrect length check")
    var method = good
    method[2] = 7
    #expect(problem(method) == "bad gzip data: unknown compression method")
  }

  /// Whatever bytes a damaged file holds, inflate reports an error or returns data; it never
  /// traps. Flip each of many positions in turn.
  @Test func flippedBytesNeverCrash() {
    let data = (0..<20000).map { UInt8(truncatingIfNeeded: $0 * $0 >> 5) }
    let good = DataFixtures.gzip(data)
    for i in stride(from: 0, to: good.count, by: max(1, good.count / 300)) {
      var bad = good
      bad[i] ^= 0x5a
      if let out = try? Gzip.inflate(bad, file: file) {
        // Only header bytes zlib ignores (mtime, xfl, os) can change without detection.
        #expect(out == data, "flipped byte \(i)")
      }
    }
  }
}
