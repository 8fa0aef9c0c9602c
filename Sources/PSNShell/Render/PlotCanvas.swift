/// A character grid with a y axis on the left and an x axis below, shared by the line chart and
/// the scatter plot. Values map linearly to cells: column c = round((x − x₀)/(x₁ − x₀) · (W − 1)),
/// row r = round((y₁ − y)/(y₁ − y₀) · (H − 1)), so the corners hold the extremes exactly.
struct PlotCanvas {
  /// Inclusive value range of one axis; a range of zero width is widened so it can be drawn.
  struct Range {
    var low: Double
    var high: Double
    /// Every value is a whole number (neuron indices, fan-ins): labels need no decimals.
    var integral: Bool

    init(_ values: [Double]) {
      let finite = values.filter(\.isFinite)
      integral = !finite.isEmpty && finite.allSatisfy { $0 == $0.rounded() }
      var (lo, hi) = (finite.min() ?? 0, finite.max() ?? 1)
      if lo == hi {
        let pad = lo == 0 ? 1 : abs(lo) * 0.1
        (lo, hi) = (lo - pad, hi + pad)
      }
      (low, high) = (lo, hi)
    }

    /// The cell index of v on an axis of n cells (0 at `low`).
    func cell(_ v: Double, of n: Int) -> Int {
      max(0, min(n - 1, Int(((v - low) / (high - low) * Double(n - 1)).rounded())))
    }
  }

  let width: Int
  let height: Int
  let x: Range
  let y: Range
  private(set) var cells: [[Character]]

  init(width: Int, height: Int, x: Range, y: Range) {
    self.width = max(2, width)
    self.height = max(2, height)
    self.x = x
    self.y = y
    cells = Array(repeating: Array(repeating: " ", count: self.width), count: self.height)
  }

  /// (column, row) of a point; row 0 is the top.
  func place(_ px: Double, _ py: Double) -> (col: Int, row: Int)? {
    guard px.isFinite, py.isFinite else { return nil }
    return (x.cell(px, of: width), height - 1 - y.cell(py, of: height))
  }

  mutating func put(_ glyph: Character, col: Int, row: Int) { cells[row][col] = glyph }

  func glyph(col: Int, row: Int) -> Character { cells[row][col] }

  /// The grid with its axes: y labels at the top, middle and bottom rows, x labels at both ends,
  /// and the axis names (`yName` above the grid, `xName` between the x labels).
  func render(xName: String, yName: String, indent: String = "  ") -> String {
    let yLabels = [(0, y.high), (height / 2, (y.low + y.high) / 2), (height - 1, y.low)]
    let labels = yLabels.map { (row: $0.0, text: Self.label($0.1, y)) }
    let margin = labels.map(\.text.count).max()!
    var lines = [indent + String(repeating: " ", count: margin + 1) + yName]
    for row in 0..<height {
      let text = labels.first { $0.row == row }?.text ?? ""
      let tick: Character = text.isEmpty ? "│" : "┤"
      lines.append(indent + text.leftPadded(margin) + String(tick) + String(cells[row]))
    }
    lines.append(indent + String(repeating: " ", count: margin) + "└" + String(repeating: "─", count: width))
    let left = Self.label(x.low, x)
    let right = Self.label(x.high, x)
    // The axis name sits centred between the end labels, so the line is no wider than the axis.
    let gap = max(xName.count + 2, width - left.count - right.count)
    let before = (gap - xName.count) / 2
    let middle = String(repeating: " ", count: before) + xName + String(repeating: " ", count: gap - before - xName.count)
    lines.append(indent + String(repeating: " ", count: margin + 1) + left + middle + right)
    return lines.joined(separator: "\n")
  }

  /// A tick label with as many decimals as the axis span needs (≥ 100: none; ≥ 10: one; ≥ 1:
  /// two; ≥ 0.1: three; else four), and none on an axis of whole numbers at least 2 wide.
  static func label(_ v: Double, _ axis: Range) -> String {
    let span = axis.high - axis.low
    let digits: Int
    switch abs(span) {
    case _ where axis.integral && span >= 2: digits = 0
    case 100...: digits = 0
    case 10...: digits = 1
    case 1...: digits = 2
    case 0.1...: digits = 3
    default: digits = 4
    }
    let text = Format.fixed(v, digits)
    return text == "-" + Format.fixed(0, digits) ? Format.fixed(0, digits) : text
  }

  /// The plotting width for a terminal of `columns`, leaving room for the y labels.
  static func plotWidth(columns: Int, margin: Int = 10) -> Int {
    max(20, min(columns, 100) - margin - 4)
  }
}
