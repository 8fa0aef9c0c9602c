/// A syntax error in psn source, with the place it was found.
public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The input ended inside a quote or a block: more lines would complete it (the REPL then asks
  /// for them with its continuation prompt instead of reporting an error).
  case incomplete(String, SourceLocation)
  case syntax(String, SourceLocation)

  public var message: String {
    switch self {
    case .incomplete(let m, _), .syntax(let m, _): m
    }
  }

  public var location: SourceLocation {
    switch self {
    case .incomplete(_, let l), .syntax(_, let l): l
    }
  }

  public var isIncomplete: Bool {
    if case .incomplete = self { true } else { false }
  }

  public var description: String { "\(location): \(message)" }
}
