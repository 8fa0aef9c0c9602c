/// Where a piece of psn source came from: a file (or `-c`, `stdin`, the REPL), a 1-based line and
/// a 1-based column, counted in characters.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
  public var source: String
  public var line: Int
  public var column: Int

  public init(source: String, line: Int, column: Int) {
    self.source = source
    self.line = line
    self.column = column
  }

  /// `FILE:LINE:COL`, the prefix of every error in a script.
  public var description: String { "\(source):\(line):\(column)" }
}
