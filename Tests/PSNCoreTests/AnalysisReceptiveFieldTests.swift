import CZlib
import Foundation
import Testing
@testable import PSNCore

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Receptive fields: the grid layout, the colours, and the PNG and SVG files, each checked by an
/// independent reader (a bitwise CRC-32 and zlib's inflate for PNG, XMLParser for SVG).
@Suite struct AnalysisReceptiveFieldTests {
  /// Neuron 1 of a 6→2 layer listens to inputs 0, 4, 5 with weights 0.5, −0.25, 0.
  static func layer() throws -> Layer {
    let mask = try Mask(nIn: 6, nOut: 2, rows: [[1, 2], [0, 4, 5]])
    return Layer(nIn: 6, nOut: 2, mask: mask, weights: [0.1, 0.2, 0.5, -0.25, 0], bias: [0, 0])
  }

  @Test func imageGridPlacesPixelsRowByRow() throws {
    let f = ReceptiveField(layer: try Self.layer(), neuron: 1, image: Dataset.ImageShape(rows: 2, cols: 3))
    #expect(f.isImage)
    #expect((f.rows, f.cols) == (2, 3))
    #expect(f.weights == [0.5, nil, nil, nil, -0.25, 0])
    #expect(f.connected == 3)
    #expect((f.positive, f.negative) == (1, 1))
    #expect(f.maxMagnitude == 0.5)
    #expect(f.range! == (-0.25, 0.5))
    #expect(f.magnitudes == [1, nil, nil, nil, 0.5, 0])
    #expect(f.strongest(2).map(\.input) == [0, 4])
    #expect(f.strongest(10).map(\.input) == [0, 4, 5])
  }

  /// Units of a hidden layer go on a ⌈√I⌉-column grid in index order; an image shape that does not
  /// match I is ignored.
  @Test func unitGridIsNearSquare() throws {
    #expect([1, 2, 4, 5, 9, 10, 16, 17, 300, 784].map(ReceptiveField.squareColumns) == [1, 2, 2, 3, 3, 4, 4, 5, 18, 28])
    let f = ReceptiveField(layer: try Self.layer(), neuron: 0, image: Dataset.ImageShape(rows: 28, cols: 28))
    #expect(!f.isImage)
    #expect((f.rows, f.cols) == (2, 3))
    #expect(f.weights == [nil, 0.1, 0.2, nil, nil, nil])
    let wide = Layer(nIn: 10, nOut: 1, mask: nil, weights: (0..<10).map(Float.init), bias: [0])
    let g = ReceptiveField(layer: wide, neuron: 0)
    #expect((g.rows, g.cols) == (3, 4))
    #expect(g.weights.count == 12)
    #expect(g.weights[9] == 9 && g.weights[10] == nil && g.weights[11] == nil)
  }

  @Test func coloursDivergeAroundWhiteAndGreyMeansUnconnected() throws {
    let f = ReceptiveField(layer: try Self.layer(), neuron: 1, image: Dataset.ImageShape(rows: 2, cols: 3))
    let c = f.colours
    #expect(c[0] == RGBImage.Colour(255, 0, 0), "the strongest positive weight is pure red")
    #expect(c[4] == RGBImage.Colour(128, 128, 255), "half the largest magnitude, negative: half-faded blue")
    #expect(c[5] == RGBImage.Colour(255, 255, 255), "a connected zero is white")
    #expect(c[1] == ReceptiveField.unconnected)
    #expect(RGBImage.Colour(255, 0, 16).hex == "#ff0010")
  }

  /// CRC-32 (ISO 3309, reflected polynomial 0xEDB88320) one bit at a time: independent of zlib's
  /// table-driven crc32 that the encoder uses.
  static func crc32Bitwise(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for b in bytes {
      crc ^= UInt32(b)
      for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
  }

  static func be32(_ b: [UInt8], _ at: Int) -> Int {
    Int(b[at]) << 24 | Int(b[at + 1]) << 16 | Int(b[at + 2]) << 8 | Int(b[at + 3])
  }

  @Test func pngDecodesToThePixels() throws {
    let f = ReceptiveField(layer: try Self.layer(), neuron: 1, image: Dataset.ImageShape(rows: 2, cols: 3))
    let image = f.image(scale: 2)
    #expect((image.width, image.height) == (6, 4))
    #expect(image[1, 1] == RGBImage.Colour(255, 0, 0))
    #expect(image[2, 0] == ReceptiveField.unconnected)
    #expect(image[5, 3] == RGBImage.Colour(255, 255, 255))
    let png = try image.pngData()
    #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    var chunks: [(type: String, data: [UInt8])] = []
    var at = 8
    while at < png.count {
      let length = Self.be32(png, at)
      let typed = Array(png[(at + 4)..<(at + 8 + length)])
      #expect(UInt32(Self.be32(png, at + 8 + length)) == Self.crc32Bitwise(typed), "chunk CRC")
      chunks.append((String(decoding: typed.prefix(4), as: UTF8.self), Array(typed.dropFirst(4))))
      at += 12 + length
    }
    #expect(at == png.count)
    #expect(chunks.map(\.type) == ["IHDR", "IDAT", "IEND"])
    let ihdr = chunks[0].data
    #expect(Self.be32(ihdr, 0) == 6 && Self.be32(ihdr, 4) == 4)
    #expect(Array(ihdr[8...]) == [8, 2, 0, 0, 0])
    // Inflate IDAT and compare every scanline: filter byte 0, then R G B per pixel.
    var size = uLongf(4 * (1 + 18))
    var raw = [UInt8](repeating: 0, count: Int(size))
    let idat = chunks[1].data
    let code = raw.withUnsafeMutableBufferPointer { r in idat.withUnsafeBufferPointer { uncompress(r.baseAddress, &size, $0.baseAddress, uLong($0.count)) } }
    #expect(code == Z_OK && size == 76)
    for y in 0..<4 {
      #expect(raw[y * 19] == 0)
      for x in 0..<6 {
        let p = y * 19 + 1 + 3 * x
        #expect(RGBImage.Colour(raw[p], raw[p + 1], raw[p + 2]) == image[x, y], "pixel (\(x), \(y))")
      }
    }
  }

  /// Counts the elements XMLParser sees and collects the <title> texts.
  final class SVGReader: NSObject, XMLParserDelegate {
    var elements: [String: Int] = [:]
    var titles: [String] = []
    var text = ""
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
      elements[name, default: 0] += 1
      text = ""
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
      if name == "title" { titles.append(text) }
    }
  }

  @Test func svgIsWellFormedWithOneSquarePerConnection() throws {
    let f = ReceptiveField(layer: try Self.layer(), neuron: 1, image: Dataset.ImageShape(rows: 2, cols: 3))
    let svg = f.svg(cell: 5, title: "neuron 1:2 <of> m1 & co")
    let parser = XMLParser(data: Data(svg.utf8))
    let reader = SVGReader()
    parser.delegate = reader
    #expect(parser.parse(), "XMLParser: \(String(describing: parser.parserError))")
    #expect(reader.elements["svg"] == 1)
    #expect(reader.elements["rect"] == 1 + 3, "a background and one square per connected input")
    #expect(reader.titles.first == "neuron 1:2 <of> m1 & co")
    #expect(reader.titles.dropFirst() == ["pixel (0, 0): 0.5", "pixel (1, 1): -0.25", "pixel (1, 2): 0.0"])
    #expect(svg.contains("width=\"15\" height=\"10\""))
  }

  @Test func writesByExtensionAndRefusesOthers() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("psn-field-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let f = ReceptiveField(layer: try Self.layer(), neuron: 1)
    try f.write(to: dir + "/a.PNG", title: "t")
    #expect(Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/a.PNG")).prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
    try f.write(to: dir + "/a.svg", title: "t")
    #expect(try String(contentsOfFile: dir + "/a.svg", encoding: .utf8).hasPrefix("<?xml"))
    #expect(throws: ImageError.unknownFormat(path: dir + "/a.jpg")) { try f.write(to: dir + "/a.jpg", title: "t") }
    #expect(ImageFormat(path: "x.png/y") == nil)
    #expect(throws: ImageError.self) { try f.write(to: dir + "/missing/a.png", title: "t") }
    do {
      try f.write(to: dir + "/missing/a.png", title: "t")
    } catch {
      #expect(error.description.contains("No such file or directory"), "\(error)")
    }
  }
}
