import Foundation
import Testing

@testable import PSNShell

/// Step-through mode: the narration read from the script, the answers Enter, c and q, commands
/// in loops, and `psn --step` with answers from a pipe.
@Suite struct TerminalStepThroughTests {
  static let script = """
    #!/usr/bin/env psn
    # A first paragraph of narration
    # over two lines.
    #
    # A second paragraph.
    echo one

    echo two  # no comment block above: no narration
    # expect: two

    # Loop narration, shown once.
    for v in a b {
      echo three $v
    }
    # The last command.
    echo four
    """

  static let narrations: [(line: Int, expected: [String])] = [
    (6, ["A first paragraph of narration", "over two lines.", "", "A second paragraph."]),
    (8, []),
    (12, ["Loop narration, shown once."]),  // the `for` line
    (13, ["Loop narration, shown once."]),  // the first command of its block: the comment above the `for`
    (16, ["The last command."]),
    (1, []),
  ]

  @Test(arguments: narrations)
  func narrationIsTheCommentBlockAbove(_ example: (line: Int, expected: [String])) {
    #expect(Narration.above(line: example.line, in: Self.script) == example.expected)
  }

  /// Runs the script with `answers` given one per prompt; returns the output, the prompts shown
  /// and how the run ended.
  func step(_ answers: [String], endOfInput: StepThrough.Answer = .quit) throws -> (output: CapturedOutput, prompts: Int, stop: Interpreter.Stop?) {
    let directory = try TemporaryDirectory("step")
    defer { directory.remove() }
    let file = directory.url.appendingPathComponent("tour.psn")
    try Self.script.write(to: file, atomically: true, encoding: .utf8)
    let output = CapturedOutput()
    let interpreter = Interpreter(output: output)
    var remaining = answers[...]
    var prompts = 0
    let stepper = StepThrough(output: output, endOfInput: endOfInput) { prompt in
      #expect(prompt == StepThrough.prompt)
      prompts += 1
      return remaining.popFirst()
    }
    stepper.install(on: interpreter)
    do {
      try interpreter.runFile(file.path)
      return (output, prompts, nil)
    } catch {
      return (output, prompts, error)
    }
  }

  @Test func enterRunsEachCommandAfterShowingIt() throws {
    let (output, prompts, stop) = try step(["", "", "", "", ""])
    #expect(stop == nil)
    #expect(prompts == 5)  // echo one, echo two, echo three (twice), echo four
    #expect(output.lines == [
      "", "A first paragraph of narration", "over two lines.", "", "A second paragraph.",
      "psn> echo one", "one",
      "psn> echo two", "two",
      "", "Loop narration, shown once.",
      "psn> echo three $v    (v=a)", "three a",
      "psn> echo three $v    (v=b)", "three b",
      "", "The last command.",
      "psn> echo four", "four",
    ])
  }

  @Test func cRunsTheRestShowingOnlyTheCommands() throws {
    let (output, prompts, stop) = try step(["", "c"])
    #expect(stop == nil)
    #expect(prompts == 2)
    #expect(output.lines == [
      "", "A first paragraph of narration", "over two lines.", "", "A second paragraph.",
      "psn> echo one", "one",
      "psn> echo two", "two",
      "psn> echo three $v    (v=a)", "three a",
      "psn> echo three $v    (v=b)", "three b",
      "psn> echo four", "four",
    ])
    #expect(!output.lines.contains("The last command."))
  }

  @Test func qQuitsBeforeTheCommandRuns() throws {
    let (output, prompts, stop) = try step(["", "q"])
    guard case .quit? = stop else {
      Issue.record("expected quit, got \(String(describing: stop))")
      return
    }
    #expect(prompts == 2)
    #expect(output.lines.last == "psn> echo two")
    #expect(output.lines.contains("one") && !output.lines.contains("two"))
  }

  @Test func otherAnswersAreAskedAgain() throws {
    let (output, prompts, _) = try step(["x", "q"])
    #expect(prompts == 2)
    #expect(output.lines.contains(StepThrough.reminder))
    #expect(!output.lines.contains("one"))
  }

  @Test func endOfInputDoesWhatTheFrontEndChose() throws {
    let quit = try step([], endOfInput: .quit)
    #expect(quit.prompts == 1 && !quit.output.lines.contains("one"))
    let rest = try step([], endOfInput: .runRest)
    #expect(rest.prompts == 1 && rest.stop == nil && rest.output.lines.last == "four")
  }

  /// A script run by `run` is stepped with its own file's narration.
  @Test func nestedScriptsNarrateFromTheirOwnFile() throws {
    let directory = try TemporaryDirectory("step-nested")
    defer { directory.remove() }
    try "# Outer narration.\nrun sub/inner.psn\n".write(to: directory.url.appendingPathComponent("outer.psn"), atomically: true, encoding: .utf8)
    try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("sub"), withIntermediateDirectories: true)
    try "\n\n# Inner narration.\necho inner\n".write(to: directory.url.appendingPathComponent("sub/inner.psn"), atomically: true, encoding: .utf8)
    let output = CapturedOutput()
    let interpreter = Interpreter(output: output)
    StepThrough(output: output, endOfInput: .quit) { _ in "" }.install(on: interpreter)
    try interpreter.runFile(directory.url.appendingPathComponent("outer.psn").path)
    #expect(output.lines == ["", "Outer narration.", "psn> run sub/inner.psn", "", "Inner narration.", "psn> echo inner", "inner"])
  }

  static let answers: [(String, StepThrough.Answer?)] = [
    ("", .run), ("  ", .run), ("c", .runRest), ("C", .runRest), ("continue", .runRest),
    ("q", .quit), ("quit", .quit), ("x", nil), ("qq", nil),
  ]

  @Test(arguments: answers)
  func answerSpelling(_ typed: String, _ expected: StepThrough.Answer?) {
    #expect(StepThrough.Answer(typed) == expected)
  }

  // MARK: - psn --step with piped answers

  func writeScript() throws -> (TemporaryDirectory, String) {
    let directory = try TemporaryDirectory("step-pipe")
    let file = directory.url.appendingPathComponent("tour.psn").path
    try Self.script.write(toFile: file, atomically: true, encoding: .utf8)
    return (directory, file)
  }

  @Test func pipedAnswersDriveTheSteps() throws {
    let (directory, file) = try writeScript()
    defer { directory.remove() }
    guard let result = try PSNExecutable.run(["--step", file], input: "\nq\n") else { return }
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("A second paragraph.\npsn> echo one\n" + StepThrough.prompt + "\none\npsn> echo two\n"))
    #expect(!result.stdout.contains("\ntwo\n"))
  }

  /// Answers that run out (a pipe, /dev/null) run the rest of the script without stopping.
  @Test func pipedInputRunningDryRunsTheRest() throws {
    let (directory, file) = try writeScript()
    defer { directory.remove() }
    guard let result = try PSNExecutable.run(["--step", file], input: "") else { return }
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasSuffix("psn> echo four\nfour\n"))
    #expect(result.stdout.components(separatedBy: StepThrough.prompt).count == 2)
  }

  @Test func stepNeedsAScript() throws {
    guard let result = try PSNExecutable.run(["--step"]) else { return }
    #expect(result.status != 0)
    #expect(result.stderr.contains("--step needs a script to step through: psn --step FILE.psn"))
  }

  /// -c runs first without stopping: it sets a script's knobs.
  @Test func commandLineTextIsNotStepped() throws {
    let (directory, file) = try writeScript()
    defer { directory.remove() }
    guard let result = try PSNExecutable.run(["-c", "echo knobs", "--step", file], input: "q\n") else { return }
    #expect(result.stdout.hasPrefix("knobs\n"))
    #expect(!result.stdout.contains("psn> echo knobs"))
  }

  /// Every tutorial runs without --step too (small: epochs=1).
  @Test func firstStepsTutorialRunsAsAScript() throws {
    let tutorial = PSNExecutable.packageRoot.appendingPathComponent("examples/tutorials/01-first-steps.psn").path
    guard let result = try PSNExecutable.run(["-c", "set epochs=1", tutorial]) else { return }
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("run1: test accuracy"))
    #expect(result.stdout.contains("run2: test accuracy"))
  }
}
