/// An 8-bit RGB raster: `width × height` pixels, row-major, three bytes (R, G, B) per pixel.
public struct RGBImage: Sendable, Equatable {
  public struct Colour: Sendable, Equatable {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
      (self.r, self.g, self.b) = (r, g, b)
    }

    /// `#rrggbb`, as SVG and CSS write it.
    public var hex: String {
      "#" + [r, g, b].map { v in
        let s = String(v, radix: 16)
        return s.count == 1 ? "0" + s : s
      }.joined()
    }
  }

  public let width: Int
  public let height: Int
  /// 3·width·height bytes.
  public private(set) var pixels: [UInt8]

  public init(width: Int, height: Int, fill: Colour = Colour(0, 0, 0)) {
    precondition(width > 0 && height > 0, "an image needs at least one pixel")
    self.width = width
    self.height = height
    pixels = [UInt8](repeating: 0, count: 3 * width * height)
    for p in 0..<width * height { set(p % width, p / width, fill) }
  }

  public subscript(x: Int, y: Int) -> Colour {
    let p = 3 * (y * width + x)
    return Colour(pixels[p], pixels[p + 1], pixels[p + 2])
  }

  public mutating func set(_ x: Int, _ y: Int, _ c: Colour) {
    let p = 3 * (y * width + x)
    pixels[p] = c.r
    pixels[p + 1] = c.g
    pixels[p + 2] = c.b
  }

  /// A `cols × rows` grid of cells, each drawn as a `scale × scale` square.
  public init(cells: [Colour], rows: Int, cols: Int, scale: Int) {
    precondition(cells.count == rows * cols && scale >= 1, "cells must fill the grid")
    self.init(width: cols * scale, height: rows * scale)
    for y in 0..<height {
      for x in 0..<width { set(x, y, cells[(y / scale) * cols + x / scale]) }
    }
  }
}

/// Why an image could not be made or written.
public enum ImageError: Error, Equatable, CustomStringConvertible {
  /// zlib refused to compress (only on memory exhaustion in practice); the zlib return code.
  case compression(code: Int32)
  /// The file name does not say which format to write.
  case unknownFormat(path: String)
  /// The file could not be written; `reason` is the system's ("create /x/y.png: No such file or directory").
  case write(reason: String)

  public var description: String {
    switch self {
    case .compression(let code): return "could not compress the image (zlib error \(code))"
    case .unknownFormat(let path): return "\(path): the file name must end in .png or .svg"
    case .write(let reason): return "could not write the image: \(reason)"
    }
  }
}

/// The image formats psn writes, chosen by the file name's extension.
public enum ImageFormat: String, CaseIterable, Sendable {
  case png, svg

  /// From `path`'s extension (case-insensitive); nil for anything else.
  public init?(path: String) {
    guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
    self.init(rawValue: path[path.index(after: dot)...].lowercased())
  }
}

extension ImageFormat {
  /// Writes `bytes` to `path` (created or replaced).
  static func write(_ bytes: [UInt8], to path: String) throws(ImageError) {
    do {
      try FileIO.writeAll(bytes, to: path)
    } catch {
      throw .write(reason: error.reason)
    }
  }
}
