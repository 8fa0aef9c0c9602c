import Testing

@testable import PSNCore

@Suite struct DataIDXTests {
  func problem(_ bytes: [UInt8], rank: Int) -> String? {
    do {
      _ = try IDXFile(bytes, file: "f", rank: rank)
      return nil
    } catch {
      guard case .corrupt("f", let problem) = error else { return "\(error)" }
      return problem
    }
  }

  @Test func parsesHeaderAndData() throws {
    let file = try IDXFile(
      DataFixtures.idx(dims: [2, 1, 3], data: [1, 2, 3, 4, 5, 6]), file: "f", rank: 3)
    #expect(file.dims == [2, 1, 3])
    #expect(file.count == 2)
    #expect(file.itemSize == 3)
    #expect(Array(file.bytes[file.dataOffset...]) == [1, 2, 3, 4, 5, 6])
  }

  @Test func bigEndianDimensions() throws {
    let n = 70_000  // needs three bytes: catches a byte-order slip
    let file = try IDXFile(
      DataFixtures.idx(dims: [n], data: [UInt8](repeating: 1, count: n)), file: "f", rank: 1)
    #expect(file.count == n)
  }

  @Test func damage() {
    let images = DataFixtures.idx(dims: [2, 2, 2], data: [UInt8](repeating: 9, count: 8))
    #expect(problem([0, 0], rank: 3) == "too short for an IDX header (2 bytes)")
    #expect(
      problem(images, rank: 1)
        == "bad IDX magic number 0x00000803 (labels files start with 0x00000801: unsigned bytes, 1 dimension)"
    )
    #expect(
      problem([0x1f, 0x8b] + images.dropFirst(2), rank: 3)
        == "bad IDX magic number 0x1f8b0803 (images files start with 0x00000803: unsigned bytes, 3 dimensions)"
    )
    var floats = images
    floats[2] = 0x0d
    #expect(
      problem(floats, rank: 3)
        == "bad IDX magic number 0x00000d03 (images files start with 0x00000803: unsigned bytes, 3 dimensions)"
    )
    #expect(
      problem(Array(images.prefix(10)), rank: 3)
        == "truncated IDX header (10 bytes, the header alone is 16)")
    #expect(
      problem(Array(images.dropLast(3)), rank: 3)
        == "truncated: the header declares 2 × 2 × 2 = 8 bytes of images, the file holds 5")
    #expect(
      problem(images + [0], rank: 3)
        == "1 bytes of trailing data after the 2 × 2 × 2 images the header declares")
    #expect(
      problem(DataFixtures.idx(dims: [0], data: []), rank: 1)
        == "IDX dimension 0 is 0: the file holds no labels")
    #expect(
      problem(DataFixtures.idx(dims: [0xffff_ffff, 0xffff_ffff, 0xffff_ffff], data: []), rank: 3)
        == "IDX dimensions [4294967295, 4294967295, 4294967295] are impossibly large")
  }
}
