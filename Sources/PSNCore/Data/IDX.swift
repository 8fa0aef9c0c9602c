/// One decoded IDX file: the format of MNIST, Fashion-MNIST and EMNIST.
///
/// Layout (all integers big-endian): two zero bytes, an element-type byte (0x08 = unsigned byte,
/// the only type these datasets use), a rank byte r, then r UInt32 dimensions, then the
/// elements in row-major order. Images are rank 3 (n × rows × cols), labels rank 1 (n).
///
/// Every claim the header makes is checked against the bytes actually present, so a truncated
/// or padded file is reported rather than read as garbage.
struct IDXFile {
  var file: String
  /// The dimensions from the header; `dims[0]` is the number of items.
  var dims: [Int]
  /// The whole decoded file; the elements start at `dataOffset`.
  var bytes: [UInt8]
  var dataOffset: Int

  var count: Int { dims[0] }
  /// Elements per item (rows × cols for images, 1 for labels).
  var itemSize: Int { dims.dropFirst().reduce(1, *) }

  /// Parses and validates `bytes` as an unsigned-byte IDX file of the given rank.
  init(_ bytes: [UInt8], file: String, rank: Int) throws(DataError) {
    let what = rank == 1 ? "labels" : "images"
    let expectedMagic = UInt32(0x0800 | rank)
    guard bytes.count >= 4 else {
      throw .corrupt(file: file, problem: "too short for an IDX header (\(bytes.count) bytes)")
    }
    let magic = Self.bigEndianUInt32(bytes, at: 0)
    guard magic == expectedMagic else {
      throw .corrupt(
        file: file,
        problem: "bad IDX magic number \(hexLiteral(magic, width: 8)) (\(what) files start with "
          + "\(hexLiteral(expectedMagic, width: 8)): unsigned bytes, \(rank) dimension\(rank == 1 ? "" : "s"))"
      )
    }
    let headerSize = 4 + 4 * rank
    guard bytes.count >= headerSize else {
      throw .corrupt(
        file: file,
        problem: "truncated IDX header (\(bytes.count) bytes, the header alone is \(headerSize))")
    }
    let dims = (0..<rank).map { Int(Self.bigEndianUInt32(bytes, at: 4 + 4 * $0)) }
    if let zero = dims.firstIndex(of: 0) {
      throw .corrupt(file: file, problem: "IDX dimension \(zero) is 0: the file holds no \(what)")
    }
    var total = 1
    for dim in dims {
      let (product, overflow) = total.multipliedReportingOverflow(by: dim)
      guard !overflow else {
        throw .corrupt(file: file, problem: "IDX dimensions \(dims) are impossibly large")
      }
      total = product
    }
    let present = bytes.count - headerSize
    let shape = dims.map(String.init).joined(separator: " × ")
    guard present >= total else {
      throw .corrupt(
        file: file,
        problem: "truncated: the header declares \(shape) = \(total) bytes of \(what), "
          + "the file holds \(present)")
    }
    guard present == total else {
      throw .corrupt(
        file: file,
        problem: "\(present - total) bytes of trailing data after the \(shape) \(what) "
          + "the header declares")
    }
    self.file = file
    self.dims = dims
    self.bytes = bytes
    self.dataOffset = headerSize
  }

  /// Reads (and, for `.gz` names, inflates) an IDX file from disk.
  static func read(_ path: String, rank: Int) throws(DataError) -> IDXFile {
    try IDXFile(FileBytes.readMaybeGzipped(path), file: path, rank: rank)
  }

  private static func bigEndianUInt32(_ b: [UInt8], at i: Int) -> UInt32 {
    UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
  }
}

/// `x` as a C-style hex literal zero-padded to `width` digits, as file formats document it (0x00000803).
func hexLiteral(_ x: UInt32, width: Int) -> String {
  let digits = String(x, radix: 16)
  return "0x" + String(repeating: "0", count: max(0, width - digits.count)) + digits
}
