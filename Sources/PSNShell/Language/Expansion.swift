import Foundation
import PSNCore

/// Turning words into values: `$NAME` substitution and `A..B` ranges.
struct Expansion {
  var variables: [String: String]

  /// The word's text with every variable replaced by its value; an unset variable is an error
  /// naming it, with the closest set name as a suggestion.
  func expand(_ parts: [Word.Part]) throws(ShellError) -> String {
    var out = ""
    for part in parts {
      switch part {
      case .text(let s, _):
        out += s
      case .variable(let name, let at):
        guard let value = variables[name] else {
          let hint = Spelling.closestMatch(to: name, among: variables.keys.sorted())
            .map { "did you mean $\($0)? " } ?? ""
          throw ShellError("undefined variable $\(name) (\(hint)set it first: set \(name)=...)", at: at)
        }
        out += value
      }
    }
    return out
  }

  func expand(_ word: Word) throws(ShellError) -> String { try expand(word.parts) }

  /// The values a list word stands for: `1..10` is the integers 1 to 10 (also descending), any
  /// other word is itself. Quoted words are never ranges.
  func expandList(_ word: Word) throws(ShellError) -> [String] {
    let text = try expand(word)
    guard !word.isQuoted, let range = try Self.integerRange(text, at: word.location) else { return [text] }
    return range.map(String.init)
  }

  /// `A..B` with integers A and B: A, A±1, …, B. Nil when the text is not of that form.
  static func integerRange(_ text: String, at: SourceLocation) throws(ShellError) -> [Int]? {
    let pieces = text.components(separatedBy: "..")
    guard pieces.count == 2 else { return nil }
    guard let a = Int(pieces[0]), let b = Int(pieces[1]) else {
      if pieces.allSatisfy({ Double($0) != nil }) {
        throw ShellError("ranges take whole numbers: \(text) (list the values instead: 0.5 1 1.5)", at: at)
      }
      return nil
    }
    guard abs(b - a) < 1_000_000 else { throw ShellError("range \(text) is too long (at most a million values)", at: at) }
    return a <= b ? Array(a...b) : Array(stride(from: a, through: b, by: -1))
  }
}
