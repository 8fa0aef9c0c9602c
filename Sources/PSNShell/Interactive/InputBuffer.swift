/// The interactive shell's input so far: lines are gathered until they parse as whole statements,
/// so a `for` loop or a quote can span lines (the parser marks input that simply stopped early as
/// incomplete, and the shell asks for more with the continuation prompt).
public struct InputBuffer {
  /// The name errors give the typed input (`psn:1:7` when shown in full).
  public let source: String
  public private(set) var lines: [String] = []

  public init(source: String = "psn") {
    self.source = source
  }

  public static let prompt = "psn> "
  public static let continuationPrompt = "...> "

  /// The prompt for the next line.
  public var prompt: String { lines.isEmpty ? Self.prompt : Self.continuationPrompt }

  public enum Outcome: Equatable {
    /// An open block or quote: read another line.
    case needsMore
    /// The input parsed; `lines` is what was typed (for the history).
    case ready([Statement], lines: [String])
    /// A syntax error; the input is dropped.
    case invalid(ShellError, lines: [String])
  }

  /// Adds a typed line. When the input is whole (or wrong) the buffer empties itself.
  public mutating func add(_ line: String) -> Outcome {
    lines.append(line)
    let typed = lines
    do {
      let statements = try Parser.parse(typed.joined(separator: "\n"), source: source)
      lines = []
      return .ready(statements, lines: typed)
    } catch let e where e.isIncomplete {
      return .needsMore
    } catch let e {
      lines = []
      return .invalid(ShellError(e, at: nil), lines: typed)
    }
  }

  /// Drops a partly typed block (Ctrl-C at the continuation prompt).
  public mutating func clear() { lines = [] }

  /// How the shell shows an error about typed input: `error: MESSAGE`, then, when the error is
  /// about a word of the input (not the whole command), that line again with a caret under the
  /// word. Errors from a script run by `run` keep their `FILE:LINE:COL: ` place instead.
  public func describe(_ error: ShellError, typed: [String]) -> String {
    guard let at = error.location, at.source == source else {
      return error.location == nil ? "error: \(error.message)" : error.description
    }
    var text = "error: \(error.message)"
    if at.column > 1, at.line >= 1, at.line <= typed.count {
      let line = typed[at.line - 1]
      let place = typed.count > 1 ? "line \(at.line): " : ""
      text += "\n  \(place)\(line)\n  " + String(repeating: " ", count: place.count + at.column - 1) + "^"
    }
    return text
  }
}
