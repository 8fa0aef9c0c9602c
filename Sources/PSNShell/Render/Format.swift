import Foundation

/// How psn writes numbers for people: fixed, short, and the same everywhere.
public enum Format {
  /// `0.8654` → `86.54%`.
  public static func percent(_ x: Double?, digits: Int = 2) -> String {
    guard let x, x.isFinite else { return "–" }
    return String(format: "%.\(digits)f%%", x * 100)
  }

  /// A real number with `digits` decimals; "–" for nil/NaN.
  public static func fixed(_ x: Double?, _ digits: Int = 3) -> String {
    guard let x, x.isFinite else { return x.map { $0.isNaN ? "nan" : ($0 > 0 ? "inf" : "-inf") } ?? "–" }
    return String(format: "%.\(digits)f", x)
  }

  /// The shortest text that reads back as the same Double (`0.1`, `1e-05`, `300`).
  public static func number(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
    return "\(x)"
  }

  /// `52143.2` → `52.1k`, `1.43e6` → `1.43M`.
  public static func si(_ x: Double) -> String {
    guard x.isFinite else { return "–" }
    switch abs(x) {
    case 1e9...: return String(format: "%.2fG", x / 1e9)
    case 1e6...: return String(format: "%.2fM", x / 1e6)
    case 1e4...: return String(format: "%.1fk", x / 1e3)
    case 1e3...: return String(format: "%.2fk", x / 1e3)
    default: return String(format: "%.0f", x)
    }
  }

  /// Seconds as `42s`, `3m07s`, `1h02m`.
  public static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "–" }
    let s = Int(seconds.rounded())
    if s < 60 { return seconds < 10 ? String(format: "%.1fs", seconds) : "\(s)s" }
    if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
    return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
  }
}
