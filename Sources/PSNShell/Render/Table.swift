/// A plain-text table: a header row, a rule, and rows, each column padded to its widest cell.
/// Unless told otherwise, a column whose cells all read as numbers (`0.912`, `86.54%`, `52.1k`,
/// `–`) is right-aligned and any other column left-aligned.
public struct Table: Sendable {
  public enum Alignment: Sendable { case left, right }

  public var headers: [String]
  public var rows: [[String]]
  /// nil: decided per column from its cells.
  public var alignments: [Alignment]?

  public init(_ headers: [String], alignments: [Alignment]? = nil) {
    self.headers = headers
    self.rows = []
    self.alignments = alignments
  }

  private static func isNumeric(_ cell: String) -> Bool {
    guard let first = cell.first else { return true }
    return first.isNumber || ((first == "-" || first == "+" || first == "±") && cell.count > 1) || cell == "–"
  }

  private var resolvedAlignments: [Alignment] {
    alignments ?? headers.indices.map { c in rows.allSatisfy { Self.isNumeric($0[c]) } && !rows.isEmpty ? .right : .left }
  }

  public mutating func add(_ row: [String]) {
    precondition(row.count == headers.count, "table row has \(row.count) cells, header \(headers.count)")
    rows.append(row)
  }

  public func render(indent: String = "") -> String {
    let widths = headers.indices.map { c in
      ([headers[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0
    }
    let alignments = resolvedAlignments
    func line(_ cells: [String]) -> String {
      var parts: [String] = []
      for (c, cell) in cells.enumerated() {
        let pad = String(repeating: " ", count: widths[c] - cell.count)
        parts.append(alignments[c] == .left ? cell + pad : pad + cell)
      }
      var s = indent + parts.joined(separator: "  ")
      while s.hasSuffix(" ") { s.removeLast() }
      return s
    }
    let rule = indent + widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
    return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
  }
}
