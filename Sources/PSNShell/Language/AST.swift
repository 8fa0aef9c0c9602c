/// The syntax tree of psn source (grammar: docs/language.md).
///
/// Words keep their pieces (text and `$variables`) unexpanded: a loop body is expanded afresh on
/// every iteration, so `as=ln-$cv` names each run after the current value.
public indirect enum Statement: Sendable, Equatable {
  case command(CommandNode)
  case forLoop(ForNode)

  public var location: SourceLocation {
    switch self {
    case .command(let c): c.location
    case .forLoop(let f): f.location
    }
  }
}

/// `verb words key=value ... [{ block }]`.
public struct CommandNode: Sendable, Equatable {
  public var words: [Word]
  /// The `{ ... }` after the command (for `repeat`, `sweep`), if any.
  public var block: [Statement]?
  public var location: SourceLocation
  /// The words as typed, for echoing the command (step-through mode, errors).
  public var text: String
}

/// `for NAME in item ... { body }`.
public struct ForNode: Sendable, Equatable {
  public var variable: String
  public var items: [Word]
  public var body: [Statement]
  public var location: SourceLocation
}

/// One word: adjacent pieces of text and variable references with no space between them.
public struct Word: Sendable, Equatable {
  public enum Part: Sendable, Equatable {
    /// Literal text; `quoted` when it came from quotes (so `=` or `..` in it mean nothing).
    case text(String, quoted: Bool)
    /// `$NAME` or `${NAME}`.
    case variable(String, SourceLocation)
  }

  public var parts: [Part]
  public var location: SourceLocation

  /// The key of a `key=value` word: an unquoted identifier right before the first `=`, at the
  /// start of the word (`as=ln-$cv` has key `as`; `"a=b"` and `$k=1` have none).
  public var key: String? {
    guard case .text(let text, quoted: false) = parts.first, let eq = text.firstIndex(of: "=")
    else { return nil }
    let name = text[..<eq]
    guard let first = name.first, first.isLetter || first == "_",
      name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
    else { return nil }
    return String(name)
  }

  /// The pieces after `key=` (the whole word when it has no key).
  public var valueParts: [Part] {
    guard let key else { return parts }
    guard case .text(let text, let quoted) = parts[0] else { return parts }
    let rest = String(text.dropFirst(key.count + 1))
    return (rest.isEmpty ? [] : [.text(rest, quoted: quoted)]) + parts.dropFirst()
  }

  /// Whether the word is plain unquoted text equal to `literal` (keywords such as `for`, `in`).
  public func isLiteral(_ literal: String) -> Bool {
    parts == [.text(literal, quoted: false)]
  }

  /// Whether any piece came from quotes.
  public var isQuoted: Bool {
    parts.contains { if case .text(_, quoted: true) = $0 { true } else { false } }
  }
}
