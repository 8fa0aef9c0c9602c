import Foundation
import Testing

/// The interactive shell end to end on a real terminal (tmux): Tab completion, Ctrl-C during
/// training and at the prompt, Ctrl-D, history across sessions, and step-through mode.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed (scripts/setup installs it)"))
struct TerminalSessionTests {
  /// psn on a terminal with its history in `history`.
  func startShell(history: URL) throws -> TmuxSession? {
    guard let psn = PSNExecutable.require() else { return nil }
    let session = try TmuxSession(psn, environment: ["PSN_HISTORY": history.path, "PSN_THREADS": "1"])
    try session.wait(forLastLine: "psn>")
    return session
  }

  @Test func completionInterruptsExitAndHistory() throws {
    let directory = try TemporaryDirectory("terminal")
    defer { directory.remove() }
    let history = directory.url.appendingPathComponent("state/history")
    guard let shell = try startShell(history: history) else { return }
    #expect(try shell.lines().first?.hasPrefix("psn 0.1.0") == true)

    // A partial command + Tab completes, with a space after it.
    try shell.complete("lo", into: "psn> load")
    try shell.type("syn")
    try shell.send("Tab")
    try shell.type("n=20000 features=100")
    try shell.wait(forLastLine: "psn> load synthetic n=20000 features=100")
    try shell.send("Enter")
    try shell.wait(forText: "synthetic: 16000 train / 4000 test")
    try shell.enter("profile random sparsity=0.9")
    try shell.wait(forText: "random: random sparsity=0.9 → m1")

    // key= completes without a space; a choice value completes to the common prefix.
    try shell.complete("train static epochs=100000 optim", into: "psn> train static epochs=100000 optimizer=")
    try shell.enter("adamw")
    try shell.wait(forText: "run1: train static m1")

    // Ctrl-C stops the training at a batch boundary; the prompt comes back.
    try shell.wait(forText: "train loss")
    try shell.send("C-c")
    try shell.wait(for: "the interrupted message and a prompt") { lines in
      lines.contains { $0.contains("interrupted at epoch") && $0.contains("m1 is consistent and usable; continue with: resume run1") }
        && lines.last == "psn>"
    }
    // The model is usable, and training continues where it stopped.
    try shell.enter("eval")
    try shell.wait(forText: "m1 on synthetic test (4000 samples): accuracy")
    try shell.enter("resume")
    try shell.wait(forText: "run1: resuming at epoch")
    try shell.send("C-c")
    try shell.wait(for: "the second interruption") { lines in
      lines.filter { $0.contains("interrupted at epoch") }.count == 2 && lines.last == "psn>"
    }

    // Ctrl-C at the prompt drops the line typed so far.
    try shell.type("echo half")
    try shell.wait(forLastLine: "psn> echo half")
    try shell.send("C-c")
    try shell.wait(forLastLine: "psn>")
    try shell.enter("echo done")
    try shell.wait(for: "the output 'done'") { $0.contains("done") }
    #expect(!(try shell.lines()).contains { $0.hasPrefix("half") })  // `echo half…` never ran

    // A multi-line loop uses the continuation prompt.
    try shell.enter("for x in 1 2 {")
    try shell.wait(forLastLine: "...>")
    try shell.enter("echo loop $x")
    try shell.enter("}")
    try shell.wait(forText: "loop 2")

    // An error is reported and the shell goes on.
    try shell.enter("train rigl alpah=3")
    try shell.wait(forText: "error: train rigl has no key 'alpah' (did you mean 'alpha='?")
    try shell.wait(forLastLine: "psn>")

    // Ctrl-D leaves, saving the history (its directory is made on demand).
    try shell.send("C-d")
    #expect(try shell.waitForExit() == 0)
    let saved = try String(contentsOf: history, encoding: .utf8)
    #expect(saved.contains("train\\040static\\040epochs=100000\\040optimizer=adamw"))
    #expect(saved.contains("for\\040x\\040in\\0401\\0402\\040{\\040echo\\040loop\\040$x\\040}"))

    // A new session recalls the last one's lines with Up.
    guard let again = try startShell(history: history) else { return }
    try again.send("Up")
    try again.wait(forLastLine: "psn> train rigl alpah=3")
    try again.send("Up")
    try again.wait(forLastLine: "psn> for x in 1 2 { echo loop $x }")
    try again.send("Enter")
    try again.wait(forText: "loop 2")
    try again.send("C-d")
    #expect(try again.waitForExit() == 0)
  }

  /// Ctrl-C twice within a second while psn is in a step that cannot stop midway (generating a
  /// large dataset: 3 s here) quits at once with status 130; a single Ctrl-C there only waits.
  @Test func ctrlCTwiceWhileBusyQuits() throws {
    let directory = try TemporaryDirectory("terminal-quit")
    defer { directory.remove() }
    guard let shell = try startShell(history: directory.url.appendingPathComponent("history")) else { return }
    // Ctrl-C while the line is still being read would drop it instead: press once the load runs.
    try shell.enter("load synthetic n=1000000 features=100")
    Thread.sleep(forTimeInterval: 1)
    try shell.send("C-c")
    try shell.wait(forText: "synthetic: 800000 train / 200000 test")  // one press: the load finishes
    try shell.wait(forLastLine: "psn>")
    try shell.enter("load synthetic n=1000000 features=100 as=again")
    Thread.sleep(forTimeInterval: 1)
    // Two presses a moment apart, as a hand makes them: sent together, they can reach a process
    // that is not running at that instant as one pending SIGINT (signals do not queue).
    try shell.send("C-c")
    Thread.sleep(forTimeInterval: 0.2)
    try shell.send("C-c")
    #expect(try shell.waitForExit() == 130)
    #expect(try shell.lines().contains("psn: Ctrl-C twice while busy: quitting"))
  }

  /// Paths that need quotes complete in quotes through libedit's own word breaking (it cuts the
  /// word at `"` and at spaces), and the completed line runs.
  @Test func pathsWithSpacesCompleteInQuotes() throws {
    guard let psn = PSNExecutable.require() else { return }
    let directory = try TemporaryDirectory("terminal-quotes")
    defer { directory.remove() }
    let notes = directory.url.appendingPathComponent("my notes")
    try FileManager.default.createDirectory(at: notes, withIntermediateDirectories: true)
    try "echo planned\n".write(to: notes.appendingPathComponent("plan.psn"), atomically: true, encoding: .utf8)
    try "echo ran\n".write(to: directory.url.appendingPathComponent("my-run.psn"), atomically: true, encoding: .utf8)
    let history = directory.url.appendingPathComponent("history").path
    let shell = try TmuxSession(psn, environment: ["PSN_HISTORY": history, "PSN_THREADS": "1"], in: directory.url)
    try shell.wait(forLastLine: "psn>")
    // Two candidates, one with a space: both offered quoted, so the common start is `"my`.
    try shell.complete("run my", into: "psn> run \"my")
    // Inside the open quote the directory completes and stays open, then the file closes it.
    try shell.complete(" n", into: "psn> run \"my notes/")
    try shell.complete("", into: "psn> run \"my notes/plan.psn\"")
    try shell.send("Enter")
    try shell.wait(for: "the output 'planned'") { $0.contains("planned") }
    try shell.wait(forLastLine: "psn>")
    // A path without special characters still completes bare.
    try shell.complete("run my-", into: "psn> run my-run.psn")
    try shell.send("Enter")
    try shell.wait(for: "the output 'ran'") { $0.contains("ran") }
  }

  @Test func stepThroughShowsNarrationAndWaitsForEnter() throws {
    guard let psn = PSNExecutable.require() else { return }
    let tutorial = "examples/tutorials/01-first-steps.psn"
    let session = try TmuxSession(psn, ["--step", tutorial], environment: ["PSN_THREADS": "1"])
    // The first command, `default epochs=5`, with the comment block above it.
    try session.wait(forText: "[Enter] run")
    var lines = try session.lines()
    #expect(lines.contains("How long to train. `default` gives a variable a value unless it is set"))
    #expect(lines.contains("psn> default epochs=5"))
    #expect(!lines.contains { $0.contains("Fashion-MNIST") })
    // Enter runs it and shows the next one, which waits in turn.
    try session.send("Enter")
    try session.wait(forText: "psn> load fashion")
    lines = try session.lines()
    #expect(lines.contains { $0.hasPrefix("and 10 000 test") || $0.contains("images of clothing, 28×28 grey pixels, 10 classes") })
    #expect(!lines.contains { $0.hasPrefix("fashion: 60000 train") })
    try session.send("Enter")
    try session.wait(forText: "fashion: 60000 train / 10000 test")
    try session.wait(forText: "psn> show data")
    // q quits before the shown command runs.
    try session.enter("q")
    #expect(try session.waitForExit() == 0)
    #expect(!(try session.lines()).contains { $0.hasPrefix("  classes: 0 T-shirt/top") })
  }
}
