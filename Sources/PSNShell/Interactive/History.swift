import Foundation

/// The interactive shell's history: where its file lives and what one entry holds.
public enum History {
  /// Entries kept (older ones are dropped when the file is written).
  public static let capacity = 1000

  /// The history file: `$PSN_HISTORY` when set (set but empty turns the file off), else
  /// `$XDG_STATE_HOME/psn/history`, else `~/.local/state/psn/history` (the XDG state directory:
  /// history is state, not configuration); nil when there is no home directory either. The
  /// directory is created when the file is first written, not here.
  public static func file(environment: [String: String]) -> String? {
    if let given = environment["PSN_HISTORY"] { return given.isEmpty ? nil : given }
    if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
      return (state as NSString).appendingPathComponent("psn/history")
    }
    guard let home = environment["HOME"], !home.isEmpty else { return nil }
    return (home as NSString).appendingPathComponent(".local/state/psn/history")
  }

  /// The history entries for one input: its lines trimmed, and an input typed over several
  /// lines (a `for` loop with its block) joined into one line, so Up brings back the whole
  /// loop: `for cv in 1 2 {` / `train static` / `}` → `for cv in 1 2 { train static }`.
  ///
  /// Lines are joined with `; ` (a newline and `;` both end a command), or a space next to a
  /// brace. When joining could change the meaning — a comment or an open quote before the last
  /// line, a `\` continuation — or the joined line does not parse, the lines stay separate entries.
  public static func entries(for lines: [String]) -> [String] {
    let trimmed = lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    guard trimmed.count > 1 else { return trimmed }
    let joinable = trimmed.dropLast().allSatisfy { !$0.hasSuffix("\\") && !PartialCommand.endsInCommentOrQuote($0) }
    guard joinable else { return trimmed }
    var joined = trimmed[0]
    for (previous, line) in zip(trimmed, trimmed.dropFirst()) {
      joined += previous.hasSuffix("{") || line.hasPrefix("}") ? " " : "; "
      joined += line
    }
    guard (try? Parser.parse(joined, source: "history")) != nil else { return trimmed }
    return [joined]
  }

  /// Whether `entry` goes into the history after `previous`: not blank, not a repeat.
  public static func shouldRecord(_ entry: String, after previous: String?) -> Bool {
    !entry.isEmpty && entry != previous
  }
}
