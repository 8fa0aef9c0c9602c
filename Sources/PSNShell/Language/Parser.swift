import Foundation

/// Builds statements from tokens (grammar: docs/language.md):
///
///     script    := (statement? separator)*
///     statement := 'for' NAME 'in' word+ block
///                | word+ block?
///     block     := '{' script '}'
public struct Parser {
  private var tokens: [Lexer.Token]
  private var position = 0
  private let lines: [Substring]

  /// Parses `text`; `source` names it in locations (a file path, `-c`, `stdin`).
  public static func parse(_ text: String, source: String) throws(ParseError) -> [Statement] {
    var lexer = Lexer(text, source: source)
    var parser = Parser(tokens: try lexer.tokens(), text: text)
    let statements = try parser.statements(inBlock: nil)
    return statements
  }

  private init(tokens: [Lexer.Token], text: String) {
    self.tokens = tokens
    lines = text.split(separator: "\n", omittingEmptySubsequences: false)
  }

  private var current: Lexer.Token { tokens[position] }

  /// Statements up to the end (`inBlock == nil`) or to the `}` closing the block opened at
  /// `inBlock`.
  private mutating func statements(inBlock open: SourceLocation?) throws(ParseError) -> [Statement] {
    var out: [Statement] = []
    while true {
      switch current {
      case .separator:
        position += 1
      case .end(let at):
        if let open { throw .incomplete("block opened at line \(open.line) is not closed (add })", open) }
        _ = at
        return out
      case .blockClose(let at):
        guard open != nil else { throw .syntax("unexpected } (no block is open)", at) }
        position += 1
        return out
      case .blockOpen(let at):
        throw .syntax("a block { ... } must follow a command such as repeat, sweep or for", at)
      case .word(let first):
        if first.isLiteral("for") {
          out.append(.forLoop(try forLoop(first)))
        } else {
          out.append(.command(try command(first)))
        }
      }
    }
  }

  private mutating func command(_ first: Word) throws(ParseError) -> CommandNode {
    var words: [Word] = []
    var endLocation = first.location
    while case .word(let w) = current {
      words.append(w)
      position += 1
    }
    var block: [Statement]?
    if case .blockOpen(let at) = current {
      position += 1
      block = try statements(inBlock: at)
      endLocation = at
    }
    try expectEndOfStatement()
    return CommandNode(
      words: words, block: block, location: first.location,
      text: text(from: first.location, to: words.last?.location ?? endLocation, block: block != nil))
  }

  private mutating func forLoop(_ keyword: Word) throws(ParseError) -> ForNode {
    position += 1
    guard case .word(let name) = current else {
      throw missing("for needs a variable: for cv in 0.5 1 1.5 { ... }", keyword.location)
    }
    guard case .text(let variable, quoted: false) = name.parts.first, name.parts.count == 1,
      variable.first.map({ $0.isLetter || $0 == "_" }) ?? false,
      variable.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
    else { throw .syntax("for needs a variable name (letters, digits, _), not this", name.location) }
    position += 1
    guard case .word(let inWord) = current, inWord.isLiteral("in") else {
      throw missing("expected 'in' after 'for \(variable)': for \(variable) in a b c { ... }", name.location)
    }
    position += 1
    var items: [Word] = []
    while case .word(let w) = current {
      items.append(w)
      position += 1
    }
    guard !items.isEmpty else {
      throw missing("for \(variable) in needs at least one value before {", inWord.location)
    }
    guard case .blockOpen(let at) = current else {
      throw missing("for \(variable) in ... needs a body: { commands }", items.last!.location)
    }
    position += 1
    let body = try statements(inBlock: at)
    try expectEndOfStatement()
    return ForNode(variable: variable, items: items, body: body, location: keyword.location)
  }

  /// An error that becomes `.incomplete` when the input simply stopped (so the REPL can ask for
  /// the rest of a `for` loop typed over several lines).
  private func missing(_ message: String, _ at: SourceLocation) -> ParseError {
    if case .end = current { return .incomplete(message, at) }
    return .syntax(message, at)
  }

  private mutating func expectEndOfStatement() throws(ParseError) {
    switch current {
    case .separator, .end, .blockClose: return
    case .blockOpen(let at): throw .syntax("only one block may follow a command", at)
    case .word(let w): throw .syntax("expected the end of the command after the block", w.location)
    }
  }

  /// The source text of a command for echoing it: its first line from the command's start (a
  /// block is shown as `{ ... }`).
  private func text(from start: SourceLocation, to end: SourceLocation, block: Bool) -> String {
    guard start.line - 1 < lines.count else { return "" }
    let line = Array(lines[start.line - 1])
    var s = String(line.dropFirst(start.column - 1))
    if let brace = s.firstIndex(of: "{"), block { s = String(s[..<brace]) + "{ ... }" }
    // Cut at an unquoted ; or # so one-line scripts echo one command.
    var out = ""
    var quote: Character?
    for c in s {
      if let q = quote {
        if c == q { quote = nil }
      } else if c == "\"" || c == "'" {
        quote = c
      } else if c == ";" || c == "#" {
        break
      }
      out.append(c)
    }
    return out.trimmingCharacters(in: .whitespaces)
  }
}
