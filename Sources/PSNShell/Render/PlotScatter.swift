/// Points (x, y) on a character grid, each cell's glyph showing how many points fell in it:
/// `·` one, `•` two or three, `●` four or more.
public struct ScatterPlot: Sendable {
  public var points: [(x: Double, y: Double)]
  public var xName: String
  public var yName: String
  public var height: Int

  public init(_ points: [(x: Double, y: Double)], xName: String, yName: String, height: Int = 12) {
    self.points = points
    self.xName = xName
    self.yName = yName
    self.height = height
  }

  /// The glyph for a cell holding `count` points.
  static func glyph(_ count: Int) -> Character {
    switch count {
    case ...0: " "
    case 1: "·"
    case 2...3: "•"
    default: "●"
    }
  }

  public func render(width: Int, indent: String = "  ") -> String {
    var canvas = PlotCanvas(
      width: PlotCanvas.plotWidth(columns: width), height: height,
      x: .init(points.map(\.x)), y: .init(points.map(\.y)))
    var counts: [[Int]] = Array(repeating: Array(repeating: 0, count: canvas.width), count: canvas.height)
    for p in points {
      if let c = canvas.place(p.x, p.y) { counts[c.row][c.col] += 1 }
    }
    for row in 0..<canvas.height {
      for col in 0..<canvas.width where counts[row][col] > 0 {
        canvas.put(Self.glyph(counts[row][col]), col: col, row: row)
      }
    }
    return canvas.render(xName: xName, yName: yName, indent: indent) + "\n" + indent + "  · 1 point   • 2–3   ● 4 or more"
  }
}
