/// Splits psn source into words, block braces and statement separators.
///
/// - Words are separated by spaces or tabs; `;` and newlines end a statement; `\` at the end of a
///   line continues it.
/// - `#` at the start of a word starts a comment to the end of the line.
/// - `"..."` is literal text except for `$NAME`/`${NAME}` and the escapes `\" \\ \$ \n \t`;
///   `'...'` is literal text, no escapes.
/// - `{` at the start of a word opens a block; an unquoted `}` closes one.
struct Lexer {
  enum Token: Equatable {
    case word(Word)
    case blockOpen(SourceLocation)
    case blockClose(SourceLocation)
    case separator
    case end(SourceLocation)
  }

  private let chars: [Character]
  private let source: String
  private var index = 0
  private var line = 1
  private var column = 1

  init(_ text: String, source: String, firstLine: Int = 1) {
    chars = Array(text)
    self.source = source
    line = firstLine
  }

  private var location: SourceLocation { SourceLocation(source: source, line: line, column: column) }
  private var current: Character? { index < chars.count ? chars[index] : nil }
  private func peek(_ offset: Int = 1) -> Character? {
    index + offset < chars.count ? chars[index + offset] : nil
  }

  private mutating func advance() {
    if chars[index] == "\n" {
      line += 1
      column = 1
    } else {
      column += 1
    }
    index += 1
  }

  /// Every token up to and including `.end`.
  mutating func tokens() throws(ParseError) -> [Token] {
    var out: [Token] = []
    while true {
      let token = try next()
      out.append(token)
      if case .end = token { return out }
    }
  }

  private mutating func next() throws(ParseError) -> Token {
    while let c = current {
      if c == " " || c == "\t" || c == "\r" {
        advance()
      } else if c == "\\" && (peek() == "\n" || (peek() == "\r" && peek(2) == "\n")) {
        advance()
        if current == "\r" { advance() }
        advance()
      } else if c == "#" {
        while let d = current, d != "\n" { advance() }
      } else {
        break
      }
    }
    guard let c = current else { return .end(location) }
    switch c {
    case "\n", ";":
      advance()
      return .separator
    case "{":
      let at = location
      advance()
      return .blockOpen(at)
    case "}":
      let at = location
      advance()
      return .blockClose(at)
    default:
      return .word(try word())
    }
  }

  private mutating func word() throws(ParseError) -> Word {
    let start = location
    var parts: [Word.Part] = []
    var text = ""
    var textQuoted = false
    func flush() {
      if !text.isEmpty { parts.append(.text(text, quoted: textQuoted)) }
      text = ""
    }
    func append(_ s: String, quoted: Bool) {
      if quoted != textQuoted { flush() }
      textQuoted = quoted
      text += s
    }
    while let c = current {
      if c == " " || c == "\t" || c == "\r" || c == "\n" || c == ";" || c == "}" { break }
      if c == "\\" && (peek() == "\n" || (peek() == "\r" && peek(2) == "\n")) { break }
      switch c {
      case "'":
        let open = location
        advance()
        var s = ""
        while let d = current, d != "'" {
          s.append(d)
          advance()
        }
        guard current == "'" else { throw .incomplete("unterminated quote ' (close it with ')", open) }
        advance()
        append(s, quoted: true)
        if s.isEmpty { flush(); parts.append(.text("", quoted: true)) }
      case "\"":
        let open = location
        advance()
        var closed = false
        var sawAnything = false
        while let d = current {
          if d == "\"" {
            closed = true
            advance()
            break
          }
          sawAnything = true
          if d == "\\", let e = peek() {
            advance()
            advance()
            switch e {
            case "n": append("\n", quoted: true)
            case "t": append("\t", quoted: true)
            case "\"", "\\", "$": append(String(e), quoted: true)
            default: append("\\" + String(e), quoted: true)
            }
          } else if d == "$", let v = try variable() {
            flush()
            parts.append(v)
          } else {
            append(String(d), quoted: true)
            advance()
          }
        }
        guard closed else { throw .incomplete("unterminated quote \" (close it with \")", open) }
        if !sawAnything { flush(); parts.append(.text("", quoted: true)) }
      case "$":
        if let v = try variable() {
          flush()
          parts.append(v)
        } else {
          append("$", quoted: false)
          advance()
        }
      default:
        append(String(c), quoted: false)
        advance()
      }
    }
    flush()
    return Word(parts: parts, location: start)
  }

  /// `$NAME` or `${NAME}` at the current `$`; nil (nothing consumed) when `$` starts neither.
  private mutating func variable() throws(ParseError) -> Word.Part? {
    let at = location
    func isNameStart(_ c: Character?) -> Bool { c.map { $0.isLetter || $0 == "_" } ?? false }
    if peek() == "{" {
      advance()
      advance()
      var name = ""
      while let c = current, c != "}" {
        guard c.isLetter || c.isNumber || c == "_" else {
          throw .syntax("bad variable name in ${...}: use letters, digits and _", location)
        }
        name.append(c)
        advance()
      }
      guard current == "}" else { throw .incomplete("unterminated ${ (close it with })", at) }
      advance()
      guard isNameStart(name.first) else {
        throw .syntax("empty or bad variable name in ${...}", at)
      }
      return .variable(name, at)
    }
    guard isNameStart(peek()) else { return nil }
    advance()
    var name = ""
    while let c = current, c.isLetter || c.isNumber || c == "_" {
      name.append(c)
      advance()
    }
    return .variable(name, at)
  }
}

// MARK: - Writing words

extension Lexer {
  /// Whether `text` must be quoted to read back as one word meaning exactly `text`: it holds
  /// a character the lexer treats specially outside quotes (spaces, quotes, `;`, braces, `#`,
  /// `$`, `\`), or `=`, which would make it a `key=` setting.
  static func needsQuotes(_ text: String) -> Bool {
    text.isEmpty || text.contains { " \t\r\n\"';{}#$\\=".contains($0) }
  }

  /// `text` as it is written between double quotes: `"`, `\` and `$` escaped, newlines and tabs
  /// as `\n` and `\t` (the escapes `"..."` reads).
  static func escapedForDoubleQuotes(_ text: String) -> String {
    var out = ""
    for c in text {
      switch c {
      case "\"", "\\", "$": out += "\\" + String(c)
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      default: out.append(c)
      }
    }
    return out
  }

  /// The text of a word that opens a quote and is cut off inside it (`"my s`, `'notes `), as the
  /// lexer reads it once the quote is closed; nil unless `typed` is one open quote written as
  /// `escapedForDoubleQuotes` writes it (no variable, no second quote, no other escape).
  static func textInsideOpenQuote(_ typed: String) -> (text: String, quote: Character)? {
    guard let quote = typed.first, quote == "\"" || quote == "'" else { return nil }
    var lexer = Lexer(typed + String(quote), source: "")
    guard let tokens = try? lexer.tokens(), tokens.count == 2, case .word(let word) = tokens[0],
      word.parts.count == 1, case .text(let text, quoted: true) = word.parts[0]
    else { return nil }
    let written = quote == "\"" ? escapedForDoubleQuotes(text) : text
    return String(quote) + written == typed ? (text, quote) : nil
  }
}
