/// A plain-text table: a header row, a rule, and rows, each column padded to its widest cell.
/// Numbers are right-aligned, text left-aligned.
public struct Table: Sendable {
  public enum Alignment: Sendable { case left, right }

  public var headers: [String]
  public var rows: [[String]]
  public var alignments: [Alignment]

  public init(_ headers: [String], alignments: [Alignment]? = nil) {
    self.headers = headers
    self.rows = []
    self.alignments = alignments ?? headers.indices.map { $0 == 0 ? .left : .right }
  }

  public mutating func add(_ row: [String]) {
    precondition(row.count == headers.count, "table row has \(row.count) cells, header \(headers.count)")
    rows.append(row)
  }

  public func render(indent: String = "") -> String {
    let widths = headers.indices.map { c in
      ([headers[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0
    }
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
