/// The command being typed, as far as the cursor: its finished words and the partial word under
/// the cursor. Read with psn's own lexer, so quotes, `;`, `{ }` and comments mean what they mean
/// when the line runs.
struct PartialCommand: Equatable {
  /// The finished words of the command the cursor is in (words of earlier commands on the line,
  /// before a `;` or a `{`, are not part of it).
  var words: [Word]
  /// The word under the cursor as typed, up to the cursor; empty after a space.
  var partial: String

  /// Nil when there is nothing to complete: the cursor is inside quotes or a comment, or the text
  /// does not lex.
  init?(_ prefix: String) {
    guard !Self.endsInCommentOrQuote(prefix) else { return nil }
    var lexer = Lexer(prefix, source: "")
    guard let tokens = try? lexer.tokens() else { return nil }
    var words: [Word] = []
    for token in tokens {
      switch token {
      case .word(let w): words.append(w)
      case .separator, .blockOpen, .blockClose: words = []
      case .end: break
      }
    }
    partial = ""
    if let last = prefix.last, !Self.wordEnds.contains(last) {
      guard let word = words.popLast() else { return nil }
      partial = Self.text(of: prefix, from: word.location)
      guard !partial.contains(where: { Self.wordEnds.contains($0) || $0 == "\"" || $0 == "'" }) else { return nil }
    }
    self.words = words
  }

  /// Characters after which a new word starts.
  private static let wordEnds: Set<Character> = [" ", "\t", "\n", "\r", ";", "{", "}"]

  /// The text from `location` (1-based line and column) to the end.
  private static func text(of prefix: String, from location: SourceLocation) -> String {
    let lines = prefix.split(separator: "\n", omittingEmptySubsequences: false)
    return String(lines[location.line - 1].dropFirst(location.column - 1))
  }

  /// Whether the cursor is inside an unclosed quote or after a `#` that starts a comment (a
  /// comment runs to the end of its line).
  static func endsInCommentOrQuote(_ prefix: String) -> Bool {
    var quote: Character?
    var inComment = false
    var previous: Character = "\n"
    var escaped = false
    for c in prefix {
      defer { previous = c }
      if c == "\n" && quote == nil {
        inComment = false
      } else if inComment {
        continue
      } else if let q = quote {
        if escaped {
          escaped = false
        } else if q == "\"" && c == "\\" {
          escaped = true
        } else if c == q {
          quote = nil
        }
      } else if c == "\"" || c == "'" {
        quote = c
      } else if c == "#" && wordEnds.contains(previous) {
        inComment = true
      }
    }
    return inComment || quote != nil
  }

  /// The words' text for matching names: literal pieces as they are, variables as `$NAME`.
  static func literal(_ parts: [Word.Part]) -> String {
    parts.map { part in
      switch part {
      case .text(let s, _): s
      case .variable(let name, _): "$" + name
      }
    }.joined()
  }
}
