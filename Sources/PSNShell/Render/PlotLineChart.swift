/// Several series y(x) on one set of axes, each drawn with its own glyph (no colour needed):
/// every point goes to its cell, and a series' consecutive points are joined by its glyph in
/// the columns between them (linear interpolation), so a trajectory reads as a line. Where two
/// series share a cell the later one shows. A legend line names the glyphs.
public struct LineChart: Sendable {
  public struct Series: Sendable {
    public var name: String
    public var glyph: Character
    public var points: [(x: Double, y: Double)]
    public init(_ name: String, glyph: Character, points: [(x: Double, y: Double)]) {
      self.name = name
      self.glyph = glyph
      self.points = points
    }
  }

  public var series: [Series]
  public var xName: String
  public var yName: String
  /// Rows of the plotting area.
  public var height: Int
  /// Optional vertical marker at an x value (e.g. where an equilibrium starts), drawn as `┊`
  /// in empty cells.
  public var marker: Double?

  public init(_ series: [Series], xName: String, yName: String = "", height: Int = 10, marker: Double? = nil) {
    self.series = series
    self.xName = xName
    self.yName = yName
    self.height = height
    self.marker = marker
  }

  /// The chart, at most `width` characters wide (with `indent`).
  public func render(width: Int, indent: String = "  ") -> String {
    let all = series.flatMap(\.points)
    var canvas = PlotCanvas(
      width: PlotCanvas.plotWidth(columns: width), height: height,
      x: .init(all.map(\.x) + (marker.map { [$0] } ?? [])), y: .init(all.map(\.y)))
    if let marker, let at = canvas.place(marker, canvas.y.low) {
      for row in 0..<canvas.height { canvas.put("┊", col: at.col, row: row) }
    }
    for s in series {
      let cells = s.points.compactMap { canvas.place($0.x, $0.y) }
      for (a, b) in zip(cells, cells.dropFirst()) where b.col > a.col + 1 {
        for col in (a.col + 1)..<b.col {
          let t = Double(col - a.col) / Double(b.col - a.col)
          canvas.put(s.glyph, col: col, row: Int((Double(a.row) + t * Double(b.row - a.row)).rounded()))
        }
      }
      for c in cells { canvas.put(s.glyph, col: c.col, row: c.row) }
    }
    let legend = series.map { "\($0.glyph) \($0.name)" }.joined(separator: "   ")
    return canvas.render(xName: xName, yName: yName, indent: indent) + "\n" + indent + "  " + legend
  }
}
