import CZlib
import Foundation

@testable import PSNCore

/// Tiny dataset files crafted by the tests themselves: each test writes exactly the damage it
/// is about (a flipped magic byte, a short file) into its own temporary directory, so no binary
/// fixtures need committing and every fixture is visible next to the assertion that uses it.
/// (No `precondition` with side effects here: the release tests build with `-Ounchecked`, which
/// drops the whole condition.)
enum DataFixtures {
  /// A fresh empty directory, removed by `remove(_:)`.
  static func makeDirectory() -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("psn-data-\(UUID().uuidString)").path
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  static func makeSubdirectory(_ path: String) throws {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  static func remove(_ directory: String) {
    try? FileManager.default.removeItem(atPath: directory)
  }

  static func write(_ bytes: [UInt8], to path: String) {
    try! Data(bytes).write(to: URL(fileURLWithPath: path))
  }

  /// gzip-compresses `bytes` with zlib (windowBits 15 + 16 selects the gzip wrapper).
  static func gzip(_ bytes: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    let status = deflateInit2_(
      &stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
      Int32(MemoryLayout<z_stream>.size))
    guard status == Z_OK else { fatalError("deflateInit2_ failed: \(status)") }
    defer { deflateEnd(&stream) }
    var input = bytes
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 32)
    let produced = input.withUnsafeMutableBufferPointer { inp in
      output.withUnsafeMutableBufferPointer { out in
        stream.next_in = inp.baseAddress
        stream.avail_in = UInt32(inp.count)
        stream.next_out = out.baseAddress
        stream.avail_out = UInt32(out.count)
        let finished = deflate(&stream, Z_FINISH)
        guard finished == Z_STREAM_END else { fatalError("deflate failed: \(finished)") }
        return out.count - Int(stream.avail_out)
      }
    }
    return Array(output[0..<produced])
  }

  /// An unsigned-byte IDX file: magic 0x0000080r, the dimensions, then `data`.
  static func idx(dims: [Int], data: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = [0, 0, 0x08, UInt8(dims.count)]
    for d in dims { bytes += bigEndian(UInt32(d)) }
    return bytes + data
  }

  static func bigEndian(_ x: UInt32) -> [UInt8] {
    [UInt8(x >> 24), UInt8(x >> 16 & 0xff), UInt8(x >> 8 & 0xff), UInt8(x & 0xff)]
  }

  /// A small image set: image s has pixel k = r·cols + c equal to (37·s + k·(1 + ⌊s/256⌋))
  /// mod 256, so any mix-up of samples, rows or columns shows, and up to 65280 images with
  /// two or more pixels are all distinct.
  struct Images {
    var count: Int
    var rows: Int
    var cols: Int
    func pixel(_ s: Int, _ r: Int, _ c: Int) -> UInt8 {
      UInt8((37 * s + (r * cols + c) * (1 + s / 256)) % 256)
    }
    /// Row-major bytes; `transposed` stores each image column-major, as EMNIST does.
    func bytes(transposed: Bool = false) -> [UInt8] {
      var out: [UInt8] = []
      for s in 0..<count {
        if transposed {
          for c in 0..<cols { for r in 0..<rows { out.append(pixel(s, r, c)) } }
        } else {
          for r in 0..<rows { for c in 0..<cols { out.append(pixel(s, r, c)) } }
        }
      }
      return out
    }
    func idxFile(transposed: Bool = false) -> [UInt8] {
      let dims = transposed ? [count, cols, rows] : [count, rows, cols]
      return DataFixtures.idx(dims: dims, data: bytes(transposed: transposed))
    }
  }

  /// The four IDX files of an MNIST-style set, as name → contents (gzip'd when the name ends
  /// in `.gz`), ready to be altered by a test before `writeSet`.
  static func lecunSet(
    names: [String] = IDXDataset.lecunFiles, train: Images = .init(count: 6, rows: 3, cols: 4),
    test: Images = .init(count: 4, rows: 3, cols: 4), transposed: Bool = false,
    labelOffset: Int = 0, classes: Int = 10
  ) -> [String: [UInt8]] {
    func labels(_ n: Int) -> [UInt8] {
      idx(dims: [n], data: (0..<n).map { UInt8($0 % classes + labelOffset) })
    }
    return [
      names[0]: train.idxFile(transposed: transposed), names[1]: labels(train.count),
      names[2]: test.idxFile(transposed: transposed), names[3]: labels(test.count),
    ]
  }

  /// Writes each file into `directory`, gzip'ing those whose name ends in `.gz`.
  static func writeSet(_ files: [String: [UInt8]], in directory: String) {
    for (name, content) in files {
      write(name.hasSuffix(".gz") ? gzip(content) : content, to: directory + "/" + name)
    }
  }
}
