/// The command being typed, as far as the cursor: its finished words and the partial word under
/// the cursor. Read with psn's own lexer, so quotes, `;`, `{ }` and comments mean what they mean
/// when the line runs.
struct PartialCommand: Equatable {
  /// The finished words of the command the cursor is in (words of earlier commands on the line,
  /// before a `;` or a `{`, are not part of it).
  var words: [Word]
  /// The word under the cursor as typed, up to the cursor; empty after a space.
  var partial: String

  /// Nil when there is nothing to complete: the cursor is in a comment, inside quotes that do
  /// not start the partial word (or its value, after `key=`), or the text does not lex. A
  /// partial word that opens a quote (`run "my s`) is kept with its quote: only path values
  /// complete there (`FileSystemView.completions`).
  init?(_ prefix: String) {
    let end = Self.state(atEndOf: prefix)
    if end == .comment { return nil }
    var text = prefix
    if case .quote(let q) = end { text.append(q) }  // lexed as if the quote closed at the cursor
    var lexer = Lexer(text, source: "")
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
    if case .quote(let q) = end {
      guard let word = words.popLast() else { return nil }
      let typed = Self.text(of: prefix, from: word.location)
      // The open quote starts the word, or its value after `key=` (FileSystemView checks that
      // it is the word's only quote); a quote across lines is not completed.
      let value = word.key.map { typed.dropFirst($0.count + 1) } ?? typed[...]
      guard value.first == q, !typed.contains("\n") else { return nil }
      partial = typed
    } else if let last = prefix.last, !Self.wordEnds.contains(last) {
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

  /// Where the end of `prefix` is: in code, in a comment (a `#` at a word's start, to the end of
  /// its line), or inside a quote opened by the character given.
  enum EndState: Equatable {
    case code, comment
    case quote(Character)
  }

  /// Whether the cursor is in a comment or inside quotes.
  static func endsInCommentOrQuote(_ prefix: String) -> Bool { state(atEndOf: prefix) != .code }

  static func state(atEndOf prefix: String) -> EndState {
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
    if inComment { return .comment }
    return quote.map { .quote($0) } ?? .code
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
