/// A greyscale heat map of values in [0, 1] on a rows × cols grid, in a frame: a cell is `·`
/// when it has no value (nil) and otherwise one of four shades by value v:
/// `░` v < ¼, `▒` v < ½, `▓` v < ¾, `█` otherwise. Each cell is two characters wide when that
/// fits (terminal characters are about twice as tall as wide, so the grid keeps its aspect);
/// otherwise one; when even that is too wide, blocks of f × f cells (f the smallest factor that
/// fits) are drawn as one, with the largest value in the block. Cells from `filled` on (a grid
/// with more cells than values, such as 300 units on 17 × 18) are left blank.
public struct HeatMap: Sendable {
  public var rows: Int
  public var cols: Int
  public var values: [Double?]
  /// Cells 0 ..< filled hold values; the rest of the grid is blank.
  public var filled: Int

  public init(rows: Int, cols: Int, values: [Double?], filled: Int? = nil) {
    precondition(values.count == rows * cols, "heat map values must fill the grid")
    self.rows = rows
    self.cols = cols
    self.values = values
    self.filled = min(filled ?? values.count, values.count)
  }

  static let shades: [Character] = ["░", "▒", "▓", "█"]

  static func shade(_ v: Double?) -> Character {
    guard let v, v.isFinite else { return "·" }
    return shades[max(0, min(3, Int(v * 4)))]
  }

  public static let legend = "· not connected   ░ < 25% of the largest |w|   ▒ < 50%   ▓ < 75%   █ ≥ 75%"

  public func render(width: Int, indent: String = "  ") -> String {
    let room = max(4, width - indent.count - 2)
    let cellWidth = 2 * cols <= room ? 2 : 1
    var f = 1
    while (cols + f - 1) / f > room { f += 1 }
    let (r, c) = ((rows + f - 1) / f, (cols + f - 1) / f)
    var lines = [indent + "┌" + String(repeating: "─", count: c * cellWidth) + "┐"]
    for br in 0..<r {
      var line = indent + "│"
      for bc in 0..<c {
        var best: Double?
        var inside = false
        for y in (br * f)..<min(rows, (br + 1) * f) {
          for x in (bc * f)..<min(cols, (bc + 1) * f) where y * cols + x < filled {
            inside = true
            if let v = values[y * cols + x] { best = max(best ?? v, v) }
          }
        }
        line += String(repeating: inside ? Self.shade(best) : " ", count: cellWidth)
      }
      lines.append(line + "│")
    }
    lines.append(indent + "└" + String(repeating: "─", count: c * cellWidth) + "┘")
    return lines.joined(separator: "\n")
  }
}
