import Foundation

/// Receptive fields as image files (`show neuron L:J to=FILE.png|svg`; docs/analysis.md).
///
/// Colours are diverging around white, scaled by m = max |w| over the neuron's connections:
/// with t = |w| / m, a positive weight is (255, 255·(1−t), 255·(1−t)) — red at the strongest —
/// a negative one (255·(1−t), 255·(1−t), 255) — blue — and a connected weight of 0 is white.
/// Inputs the neuron is not connected to are mid-grey (128, 128, 128), so "not listening" and
/// "listening with a small weight" look different.
extension ReceptiveField {
  public static let unconnected = RGBImage.Colour(128, 128, 128)

  /// The colour of every cell (row-major, rows·cols).
  public var colours: [RGBImage.Colour] {
    let m = maxMagnitude
    return weights.map { w in
      guard let w else { return Self.unconnected }
      let t = m > 0 ? abs(w) / m : 0
      let fade = UInt8((255 * (1 - t)).rounded())
      return w > 0 ? RGBImage.Colour(255, fade, fade) : RGBImage.Colour(fade, fade, 255)
    }
  }

  /// The field as a raster, each input a `scale × scale` square.
  public func image(scale: Int = 10) -> RGBImage {
    RGBImage(cells: colours, rows: rows, cols: cols, scale: scale)
  }

  /// The field as an SVG document: a grey background, one square of side `cell` per connected
  /// input with its weight as a tooltip (`<title>`), and `title` as the document's title.
  public func svg(cell: Int = 10, title: String) -> String {
    let (w, h) = (cols * cell, rows * cell)
    var out = """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" width="\(w)" height="\(h)" viewBox="0 0 \(w) \(h)" shape-rendering="crispEdges">
      <title>\(Self.escaped(title))</title>
      <rect width="\(w)" height="\(h)" fill="\(Self.unconnected.hex)"/>

      """
    let colours = colours
    for (p, weight) in weights.enumerated() {
      guard let weight else { continue }
      let (r, c) = (p / cols, p % cols)
      let place = isImage ? "pixel (\(r), \(c))" : "unit \(p + 1)"
      out += "<rect x=\"\(c * cell)\" y=\"\(r * cell)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"\(colours[p].hex)\"><title>\(place): \(weight)</title></rect>\n"
    }
    return out + "</svg>\n"
  }

  /// Writes the field as PNG or SVG, as `path`'s extension says.
  public func write(to path: String, scale: Int = 10, title: String) throws(ImageError) {
    switch ImageFormat(path: path) {
    case .png: try image(scale: scale).writePNG(to: path)
    case .svg: try ImageFormat.write(Array(svg(cell: scale, title: title).utf8), to: path)
    case nil: throw .unknownFormat(path: path)
    }
  }

  static func escaped(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;")
  }
}
