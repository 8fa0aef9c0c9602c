import CZlib

/// PNG encoding (ISO/IEC 15948, W3C PNG 2nd edition): 8-bit truecolour, no interlace.
///
/// File = signature, IHDR, one IDAT, IEND. Each chunk is length (4 bytes, big-endian), type
/// (4 ASCII bytes), data, and the CRC-32 of type + data. IDAT holds the zlib stream of the
/// scanlines, each prefixed with filter type 0 (None): 1 + 3·width bytes per row.
extension RGBImage {
  public func pngData() throws(ImageError) -> [UInt8] {
    var raw = [UInt8]()
    raw.reserveCapacity(height * (1 + 3 * width))
    for y in 0..<height {
      raw.append(0)  // filter: None
      raw.append(contentsOf: pixels[(3 * y * width)..<(3 * (y + 1) * width)])
    }
    var header = [UInt8]()
    header += PNG.bigEndian(UInt32(width))
    header += PNG.bigEndian(UInt32(height))
    header += [8, 2, 0, 0, 0]  // bit depth 8, colour type 2 (RGB), deflate, filter 0, no interlace
    var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    file += PNG.chunk("IHDR", header)
    file += PNG.chunk("IDAT", try PNG.zlibCompress(raw))
    file += PNG.chunk("IEND", [])
    return file
  }

  /// Writes the image as a PNG file.
  public func writePNG(to path: String) throws(ImageError) {
    try ImageFormat.write(try pngData(), to: path)
  }
}

enum PNG {
  static func bigEndian(_ v: UInt32) -> [UInt8] {
    [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
  }

  /// length, type, data, CRC-32(type + data).
  static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let typed = Array(type.utf8) + data
    let crc = typed.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
    return bigEndian(UInt32(data.count)) + typed + bigEndian(crc)
  }

  /// A zlib stream (RFC 1950) of `data` at the best compression.
  static func zlibCompress(_ data: [UInt8]) throws(ImageError) -> [UInt8] {
    var size = compressBound(uLong(data.count))
    var out = [UInt8](repeating: 0, count: Int(size))
    let code = out.withUnsafeMutableBufferPointer { o in
      data.withUnsafeBufferPointer { i in compress2(o.baseAddress, &size, i.baseAddress, uLong(i.count), 9) }
    }
    guard code == Z_OK else { throw .compression(code: code) }
    return Array(out[..<Int(size)])
  }
}
