import Foundation
import Testing

@testable import PSNShell

/// The interactive shell's input handling without a terminal: gathering lines into statements,
/// error display, and the history file's place and entries.
@Suite struct TerminalInputTests {
  @Test func oneLineIsReadyAtOnce() throws {
    var input = InputBuffer()
    #expect(input.prompt == "psn> ")
    guard case .ready(let statements, let lines) = input.add("load fashion; show data") else {
      Issue.record("not ready")
      return
    }
    #expect(statements.count == 2)
    #expect(lines == ["load fashion; show data"])
    #expect(input.lines.isEmpty)
  }

  @Test func openBlockAsksForMoreWithTheContinuationPrompt() {
    var input = InputBuffer()
    #expect(input.add("for cv in 1 2 {") == .needsMore)
    #expect(input.prompt == "...> ")
    #expect(input.add("  echo $cv") == .needsMore)
    guard case .ready(let statements, let lines) = input.add("}") else {
      Issue.record("not ready")
      return
    }
    #expect(lines == ["for cv in 1 2 {", "  echo $cv", "}"])
    guard case .forLoop(let loop) = statements.first else {
      Issue.record("not a loop: \(statements)")
      return
    }
    #expect(loop.variable == "cv" && loop.body.count == 1)
    #expect(input.prompt == "psn> ")
  }

  @Test func openQuoteAsksForMore() {
    var input = InputBuffer()
    #expect(input.add("echo \"two") == .needsMore)
    guard case .ready(let statements, _) = input.add("lines\"") else {
      Issue.record("not ready")
      return
    }
    #expect(statements.count == 1)
  }

  @Test func syntaxErrorDropsTheInput() {
    var input = InputBuffer()
    guard case .invalid(let error, let lines) = input.add("}") else {
      Issue.record("a stray } should be an error")
      return
    }
    #expect(error.message == "unexpected } (no block is open)")
    #expect(error.location == SourceLocation(source: "psn", line: 1, column: 1))
    #expect(lines == ["}"])
    #expect(input.prompt == "psn> ")
  }

  @Test func clearDropsAPartBlock() {
    var input = InputBuffer()
    _ = input.add("for x in 1 {")
    input.clear()
    #expect(input.prompt == "psn> ")
    #expect(input.add("echo ok") != .needsMore)
  }

  /// The caret sits under the word the error is about, whatever the prompt.
  @Test func errorShowsTheLineWithACaret() {
    let input = InputBuffer()
    let error = ShellError("train rigl has no key 'alpah'", at: SourceLocation(source: "psn", line: 1, column: 12))
    #expect(input.describe(error, typed: ["train rigl alpah=3"]) == """
      error: train rigl has no key 'alpah'
        train rigl alpah=3
                   ^
      """)
  }

  @Test func errorInALaterLineNamesTheLine() {
    let input = InputBuffer()
    let error = ShellError("bad", at: SourceLocation(source: "psn", line: 2, column: 3))
    #expect(input.describe(error, typed: ["for x in 1 {", "  nosuch", "}"]) == """
      error: bad
        line 2:   nosuch
                  ^
      """)
  }

  @Test func errorAboutTheWholeCommandHasNoCaret() {
    let input = InputBuffer()
    let error = ShellError("no dataset yet (load one first: load fashion)", at: SourceLocation(source: "psn", line: 1, column: 1))
    #expect(input.describe(error, typed: ["model"]) == "error: no dataset yet (load one first: load fashion)")
    #expect(input.describe(ShellError("no place"), typed: ["x"]) == "error: no place")
  }

  @Test func errorInAScriptKeepsItsPlace() {
    let input = InputBuffer()
    let error = ShellError("unknown command 'trian'", at: SourceLocation(source: "sweep.psn", line: 12, column: 1))
    #expect(input.describe(error, typed: ["run sweep.psn"]) == "sweep.psn:12:1: unknown command 'trian'")
  }

  // MARK: - History

  static let historyFiles: [([String: String], String?)] = [
    (["PSN_HISTORY": "/tmp/h", "HOME": "/home/u"], "/tmp/h"),
    (["PSN_HISTORY": "", "HOME": "/home/u"], nil),
    (["XDG_STATE_HOME": "/state", "HOME": "/home/u"], "/state/psn/history"),
    (["XDG_STATE_HOME": "relative", "HOME": "/home/u"], "/home/u/.local/state/psn/history"),
    (["HOME": "/home/u"], "/home/u/.local/state/psn/history"),
    ([:], nil),
  ]

  @Test(arguments: historyFiles)
  func historyFile(_ environment: [String: String], _ expected: String?) {
    #expect(History.file(environment: environment) == expected)
  }

  static let historyEntries: [([String], [String])] = [
    (["load fashion"], ["load fashion"]),
    (["  train rigl  "], ["train rigl"]),
    (["for cv in 1 2 {", "  profile lognormal cv=$cv", "  train static", "}"],
     ["for cv in 1 2 { profile lognormal cv=$cv; train static }"]),
    (["for a in 1 {", "for b in 2 {", "echo $a $b", "}", "}"], ["for a in 1 { for b in 2 { echo $a $b } }"]),
    (["for cv in 1 {", "", "echo $cv }"], ["for cv in 1 { echo $cv }"]),
    // Joining would change the meaning: a comment, a quote across lines, a continuation.
    (["for cv in 1 { # the loop", "echo $cv", "}"], ["for cv in 1 { # the loop", "echo $cv", "}"]),
    (["echo \"two", "lines\""], ["echo \"two", "lines\""]),
    (["echo a \\", "b"], ["echo a \\", "b"]),
    (["", "  "], []),
  ]

  @Test(arguments: historyEntries)
  func historyEntry(_ lines: [String], _ expected: [String]) {
    #expect(History.entries(for: lines) == expected)
  }

  /// A joined entry runs exactly as the lines it came from.
  @Test func joinedEntryRunsLikeTheLines() throws {
    let lines = ["for cv in 1 2 {", "  set x=$cv", "  echo cv $cv x $x", "}", ]
    let joined = History.entries(for: lines)
    #expect(joined.count == 1)
    func transcript(_ text: String) throws -> String {
      let output = CapturedOutput()
      try Interpreter(output: output).run(text, source: "test")
      return output.transcript
    }
    #expect(try transcript(joined[0]) == transcript(lines.joined(separator: "\n")))
    #expect(try transcript(joined[0]) == "cv 1 x 1\ncv 2 x 2")
  }

  @Test func historySkipsBlanksAndRepeats() {
    #expect(History.shouldRecord("ls", after: nil))
    #expect(!History.shouldRecord("ls", after: "ls"))
    #expect(History.shouldRecord("ls", after: "eval"))
    #expect(!History.shouldRecord("", after: "ls"))
  }
}

/// Standard input that is not a terminal is a script: no banner, no prompt, no line editing,
/// and the first error stops it with its place.
@Suite struct TerminalPipedInputTests {
  @Test func pipedInputRunsAsAScript() throws {
    guard let result = try PSNExecutable.run([], input: "echo a\nnosuch\necho b\n") else { return }
    #expect(result.status == 1)
    #expect(result.stdout == "a\n")
    #expect(result.stderr.contains("stdin:2:1: unknown command 'nosuch'"))
    #expect(!result.stdout.contains("psn>") && !result.stderr.contains("psn>"))
  }

  @Test func pipedLoopAndLastLineWithoutNewline() throws {
    guard let result = try PSNExecutable.run([], input: "for x in 1 2 {\n  echo x$x\n}\necho end") else { return }
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "x1\nx2\nend\n")
  }
}
