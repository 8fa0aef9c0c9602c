import CEditLine
import Foundation
import PSNShell

/// The interactive shell's line editor: libedit through its readline-compatible API, for
/// editing keys, Ctrl-R search, the history file and Tab completion by `Completer`.
///
/// libedit keeps one editor per process in C globals, and its callbacks are C function pointers
/// that capture nothing, so the completion source lives in a global too: make one LineEditor.
final class LineEditor {
  enum Input: Equatable {
    case line(String)
    /// Ctrl-C at the prompt: the line typed so far is dropped.
    case interrupted
    /// Ctrl-D on an empty line, or the terminal went away.
    case end
  }

  private let historyFile: String?
  private var lastEntry: String?
  private var historyWarning: String?

  /// `complete` answers Tab for the text before the cursor.
  init(historyFile: String?, complete: @escaping (String) -> Completion) {
    completionSource = complete
    psn_rl_set_readline_name("psn")
    psn_rl_set_attempted_completion(attemptCompletion)
    using_history()
    stifle_history(Int32(History.capacity))
    if let historyFile, FileManager.default.fileExists(atPath: historyFile) {
      read_history(historyFile)
    }
    self.historyFile = historyFile
  }

  /// Reads one line with `prompt`.
  func read(prompt: String) -> Input {
    guard let raw = readline(prompt) else {
      // readline gives NULL both for Ctrl-D and for Ctrl-C (read() failed with EINTR after
      // libedit restored the terminal and passed SIGINT on): the flag tells them apart.
      return Interrupts.consume() ? .interrupted : .end
    }
    defer { free(raw) }
    return .line(String(cString: raw))
  }

  /// Adds entries to the history and writes the file, so a session that is killed keeps what
  /// was typed. Returns a warning the first time the file cannot be written.
  func record(_ entries: [String]) -> String? {
    for entry in entries where History.shouldRecord(entry, after: lastEntry) {
      add_history(entry)
      lastEntry = entry
    }
    return save()
  }

  /// Writes the history file (creating its directory), at most `History.capacity` entries.
  func save() -> String? {
    guard let historyFile, historyWarning == nil else { return nil }
    let directory = (historyFile as NSString).deletingLastPathComponent
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    guard write_history(historyFile) == 0 else {
      historyWarning = "note: cannot write the history file \(historyFile) (set PSN_HISTORY to another file, or to nothing to keep no history)"
      return historyWarning
    }
    return nil
  }
}

// MARK: - libedit callbacks

/// What Tab asks: the Completer bound to the interpreter's workspace.
nonisolated(unsafe) private var completionSource: ((String) -> Completion)?
/// The matches of the completion in progress, handed to libedit one by one by `nextMatch`.
nonisolated(unsafe) private var pendingMatches: [String] = []
nonisolated(unsafe) private var pendingIndex = 0

/// libedit's rl_attempted_completion_function: completes the word libedit cut at the cursor
/// (`text`) from psn's reading of the whole line up to the cursor.
private let attemptCompletion: @convention(c) (UnsafePointer<CChar>?, Int32, Int32)
  -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, _, _ in
    psn_rl_set_attempted_completion_over(1)  // psn's answer is final: no filename fallback
    guard let text, let source = completionSource, let buffer = psn_rl_line_buffer() else { return nil }
    let point = min(Int(psn_rl_point()), strlen(buffer))
    let prefix = String(decoding: UnsafeRawBufferPointer(start: buffer, count: point), as: UTF8.self)
    let candidates = source(prefix).candidates(replacing: String(cString: text))
    guard !candidates.isEmpty else { return nil }
    // One match: libedit appends this character; nothing after `key=` or `dir/`.
    psn_rl_set_completion_append_character(candidates.count == 1 && !candidates[0].isComplete ? 0 : 32)
    pendingMatches = candidates.map(\.text)
    pendingIndex = 0
    return rl_completion_matches(text, nextMatch)
  }

/// libedit's generator: the next match as a malloc'd string (libedit frees it), NULL when done.
private let nextMatch: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { _, state in
  if state == 0 { pendingIndex = 0 }
  guard pendingIndex < pendingMatches.count else { return nil }
  defer { pendingIndex += 1 }
  return strdup(pendingMatches[pendingIndex])
}
