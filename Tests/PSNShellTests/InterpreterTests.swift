import Foundation
import Testing

@testable import PSNCore
@testable import PSNShell

/// The interpreter: variables, loops, scripts, error places, and transactions.
@Suite struct InterpreterTests {
  @Test func variablesAndLoops() throws {
    let shell = TestShell()
    shell.ok("""
      set a=1 b=x
      for cv in 0.5 1 { for s in 1..2 { echo $b-$cv-${s}! } }
      echo a=$a
      default a=9 c=3
      echo $a $c
      """)
    #expect(shell.output.lines == ["x-0.5-1!", "x-0.5-2!", "x-1-1!", "x-1-2!", "a=1", "1 3"])
    // The loop variable is scoped to its loop.
    #expect(shell.workspace.variables["cv"] == nil)
  }

  @Test func loopVariableRestoredAfterLoop() throws {
    let shell = TestShell()
    shell.ok("set cv=outer; for cv in 1 2 { echo $cv }; echo $cv")
    #expect(shell.output.lines == ["1", "2", "outer"])
  }

  @Test func scriptStopsAtFirstErrorWithItsPlace() throws {
    let shell = TestShell()
    let e = shell.run("echo one\necho two\n  lod fashion\necho never", source: "sweep.psn")
    #expect(e?.description == "sweep.psn:3:3: unknown command 'lod' (did you mean 'load'?)")
    #expect(shell.output.lines == ["one", "two"])
  }

  @Test func errorInsideLoopNamesTheInnerPlace() throws {
    let shell = TestShell()
    let e = shell.run("for x in 1 2 {\n  echo $x\n  echo $y\n}")
    #expect(e?.description == "t.psn:3:8: undefined variable $y (did you mean $x? set it first: set y=...)")
    #expect(shell.output.lines == ["1"])
  }

  @Test func runFileRelativeToIncludingFileWithRecursionGuard() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("psn-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try "echo main\nrun sub/inner.psn\necho back".write(to: dir.appendingPathComponent("main.psn"), atomically: true, encoding: .utf8)
    try "echo inner\nrun ../loop.psn".write(to: dir.appendingPathComponent("sub/inner.psn"), atomically: true, encoding: .utf8)
    try "echo loop\nrun sub/inner.psn".write(to: dir.appendingPathComponent("loop.psn"), atomically: true, encoding: .utf8)
    let shell = TestShell()
    do {
      try shell.interpreter.runFile(dir.appendingPathComponent("main.psn").path)
      Issue.record("recursion was not refused")
    } catch {
      guard case .failed(let e) = error else { return }
      #expect(e.message.hasSuffix("sub/inner.psn is already running (a script cannot run itself, directly or through others)"))
      #expect(e.location?.source == "../loop.psn")
      #expect(e.location?.line == 2)
    }
    #expect(shell.output.lines == ["main", "inner", "loop"])
    #expect(shell.error("run nowhere.psn").contains("cannot run nowhere.psn: no such file"))
  }

  @Test func failingCommandLeavesTheWorkspaceAsItWas() throws {
    let shell = TestShell()
    shell.ok("\(tinyData); \(tinyModel); profile random sparsity=0.5")
    let before = try shell.workspace.model().object.model
    let names = shell.workspace.names
    // Fails after building masks (cv out of the family's reach at this layer): nothing changes.
    let e = shell.error("profile lognormal cv=9 sparsity=0.5")
    #expect(e.contains("lognormal reaches"))
    #expect(try shell.workspace.model().object.model == before)
    #expect(shell.workspace.names == names)
    // A diverging run restores the model it started from.
    let d = shell.error("train static epochs=2 lr=1e30 optimizer=sgd")
    #expect(d.contains("training diverged"))
    #expect(try shell.workspace.model().object.model == before)
    #expect(shell.workspace.names(of: .run).isEmpty)
  }

  @Test func jsonModeOnlyPrintsJSON() throws {
    let shell = TestShell()
    shell.interpreter.jsonMode = true
    shell.ok("\(tinyData); echo hi")
    #expect(shell.output.lines.isEmpty)
    #expect(shell.output.jsonLines.count == 2)
    #expect(shell.jsonObjects[0]["features"] as? Int == 12)
    #expect(shell.jsonObjects[1]["text"] as? String == "hi")
  }

  @Test func perCommandJSONFlag() throws {
    let shell = TestShell()
    shell.ok("\(tinyData)\nshow data --json")
    #expect(shell.output.jsonLines.count == 1)
    #expect(shell.jsonObjects[0]["dataset"] as? String == "synthetic")
  }

  @Test func interruptStopsLoopsAndKeepsFinishedWork() throws {
    let shell = TestShell()
    var polls = 0
    // The 30th poll answers "stop": partway through the first training.
    shell.interpreter.interruptRequested = { polls += 1; return polls == 30 }
    do {
      try shell.interpreter.run("\(tinyData); \(tinyModel); profile random sparsity=0.5\nfor s in 1 2 3 { train static epochs=5 batch=32 seed=$s }", source: "t.psn")
      Issue.record("not interrupted")
    } catch {
      guard case .interrupted = error else { Issue.record("\(error)"); return }
    }
    #expect(shell.workspace.names(of: .run) == ["run1"])
    let run = try shell.workspace.run().object
    #expect(!run.isFinished)
    #expect(shell.output.lines.last?.hasPrefix("interrupted at epoch 3, batch 4/10") == true, "\(shell.output.lines.last ?? "")")
  }
}
