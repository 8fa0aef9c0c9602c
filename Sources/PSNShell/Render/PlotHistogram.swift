/// A horizontal bar chart of counts, one row per bin: the bin's label, a bar of length
/// proportional to its count (in eighths of a character: `▏▎▍▌▋▊▉█`), and the count.
public struct HistogramPlot: Sendable {
  public var bins: [(label: String, count: Int)]
  /// Header of the label column (e.g. "fan-in").
  public var labelName: String
  public var countName: String

  public init(_ bins: [(label: String, count: Int)], labelName: String, countName: String) {
    self.bins = bins
    self.labelName = labelName
    self.countName = countName
  }

  static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]

  /// A bar of `length` characters (fractional, ≥ 0); a non-zero count always shows a sliver.
  static func bar(_ length: Double) -> String {
    let units = Int((length * 8).rounded())
    if units == 0 { return length > 0 ? "▏" : "" }
    let full = String(repeating: "█", count: units / 8)
    return units % 8 == 0 ? full : full + String(eighths[units % 8 - 1])
  }

  public func render(width: Int, indent: String = "  ") -> String {
    let labelWidth = max(labelName.count, bins.map(\.label.count).max() ?? 0)
    let countWidth = max(countName.count, bins.map { String($0.count).count }.max() ?? 0)
    let barWidth = max(10, min(width, 100) - indent.count - labelWidth - countWidth - 4)
    let top = max(1, bins.map(\.count).max() ?? 1)
    var lines = [indent + labelName.leftPadded(labelWidth) + " │ " + countName]
    for b in bins {
      let bar = Self.bar(Double(b.count) / Double(top) * Double(barWidth))
      let pad = String(repeating: " ", count: barWidth - bar.count + 1)
      lines.append(indent + b.label.leftPadded(labelWidth) + " │" + bar + pad + String(b.count).leftPadded(countWidth))
    }
    return lines.joined(separator: "\n")
  }
}
