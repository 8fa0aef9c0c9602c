/// The narration step-through mode shows before a command: the comment block right above it in
/// its script.
public enum Narration {
  /// The comment block above line `line` (1-based) of `text`: the contiguous `#` lines right
  /// above it, with the `#` and one space after it removed (a lone `#` gives an empty line, a
  /// paragraph break). A command that opens a block's body (`for cv in 1 2 {` on the line above)
  /// takes the comment above that line. `#!` lines and `# expect` lines (for the test harness)
  /// are not narration. Empty when there is no such block.
  public static func above(line: Int, in text: String) -> [String] {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    var index = line - 2  // the line above, 0-based
    var block: [String] = []
    while index >= 0 {
      let above = lines[index]
      if above.hasPrefix("#") {
        block.insert(above, at: 0)
        index -= 1
      } else if block.isEmpty && above.hasSuffix("{") {
        index -= 1
      } else {
        break
      }
    }
    var narration = block.filter { !$0.hasPrefix("#!") && !$0.hasPrefix("# expect") }.map { comment in
      let body = comment.dropFirst()
      return String(body.hasPrefix(" ") ? body.dropFirst() : body)
    }
    while narration.first?.isEmpty == true { narration.removeFirst() }
    while narration.last?.isEmpty == true { narration.removeLast() }
    return narration
  }
}
