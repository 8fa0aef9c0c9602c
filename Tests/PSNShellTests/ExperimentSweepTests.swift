import Foundation
import Testing

@testable import PSNCore
@testable import PSNShell

/// `sweep` and `repeat`: cells, variables, tags, what goes into the results database, skipping
/// what is already there, Ctrl-C, shards, progress, and bad input.
@Suite struct ExperimentSweepTests {
  /// The accuracy of a workspace run (the number the database must hold for it).
  func accuracy(_ s: ExperimentShell, _ run: String) throws -> Double {
    try #require(try s.shell.workspace.run(run).object.testAccuracy)
  }

  @Test func twoSeedsByTwoProfilesStoreFourRunsAndPrintTheirTable() throws {
    let s = ExperimentShell()
    s.ok(tinySetup)
    s.ok(twoByTwoSweep)
    let runs = try s.database().runs()
    #expect(runs.map(\.name).sorted() == ["lognormal-s1", "lognormal-s2", "random-s1", "random-s2"])
    for r in runs {
      #expect(r.tags == ["profile": String(r.name.prefix { $0 != "-" }), "seed": String(r.seed), "sweep": "grid", "sweep_keys": "profile"])
      #expect(r.final.testAccuracy == (try accuracy(s, r.name)), "the database holds the run's own number")
    }

    let mark = s.output.lines.count
    s.ok("table")
    let rows = s.table(after: "sweep grid: test_accuracy over 4 runs", since: mark)
    #expect(rows.count == 4, "header, rule, two cells: \(rows)")
    #expect(rows.first?.split(separator: " ").map(String.init) == ["profile", "n", "mean", "±", "std", "95%", "CI"])
    // t(0.975, 1): the 95% interval of a mean over two seeds.
    let t1 = 12.706204736174707
    for (row, profile) in zip(rows.dropFirst(2), ["lognormal", "random"]) {
      let (mean, sd) = meanAndSD([try accuracy(s, "\(profile)-s1"), try accuracy(s, "\(profile)-s2")])
      let half = t1 * sd / 2.0.squareRoot()
      let expected = [profile, "2", Format.percent(mean), Format.percent(sd), Format.percent(mean - half), "–", Format.percent(mean + half)]
      #expect(row.split(separator: " ").map(String.init) == expected)
    }

    s.ok("table --json")
    let json = try #require(jsonObjects(s.output, with: "cells").last)
    let cells = try #require(json["cells"] as? [[String: Any]])
    #expect(cells.map { ($0["key"] as? [String: String])?["profile"] } == ["lognormal", "random"])
    #expect(cells[0]["values"] as? [Double] == [try accuracy(s, "lognormal-s1"), try accuracy(s, "lognormal-s2")])
    #expect(cells[1]["seeds"] as? [Int] == [1, 2])
  }

  @Test func cellsSetTheirVariablesAndThePreviousValuesComeBack() throws {
    let s = ExperimentShell()
    s.ok(tinySetup + "; set profile=mine")
    s.ok("sweep profile=lognormal,random cv=0.5,1 seeds=3,5 name=v { echo cell $profile $cv $seed }")
    let cells = s.output.lines.filter { $0.hasPrefix("cell ") }
    #expect(cells == [
      "cell lognormal 0.5 3", "cell lognormal 0.5 5", "cell lognormal 1 3", "cell lognormal 1 5",
      "cell random 0.5 3", "cell random 0.5 5", "cell random 1 3", "cell random 1 5",
    ], "first key slowest, the seed fastest")
    #expect(s.shell.workspace.variables["profile"] == "mine")
    #expect(s.shell.workspace.variables["cv"] == nil && s.shell.workspace.variables["seed"] == nil)
    #expect(s.interpreter.runTags.isEmpty && s.interpreter.statusPrefix == nil)
    // Whole-number ranges count; without seeds= the seed is $seed.
    s.ok("set seed=7; sweep k=1..3 name=r { echo k $k $seed }")
    #expect(s.output.lines.filter { $0.hasPrefix("k ") } == ["k 1 7", "k 2 7", "k 3 7"])
    s.ok("repeat seeds=2..3 name=rep { echo seed $seed }")
    #expect(s.output.lines.filter { $0.hasPrefix("seed ") } == ["seed 2", "seed 3"])
  }

  @Test func runningASweepAgainSkipsItsFinishedCellsAndRerunReplacesThem() throws {
    let s = ExperimentShell()
    s.ok(tinySetup)
    s.ok(twoByTwoSweep)
    let first = Set(try s.database().runs().map(\.uuid))
    let again = ExperimentShell(sharing: s)
    again.ok(tinySetup)
    again.ok(twoByTwoSweep)
    #expect(again.output.lines.contains("sweep grid: 4 cells, 4 already in \(s.dbPath): skipped"))
    #expect(again.shell.workspace.runs.isEmpty)
    #expect(Set(try s.database().runs().map(\.uuid)) == first)

    let third = ExperimentShell(sharing: s)
    third.ok(tinySetup)
    third.ok(twoByTwoSweep.replacingOccurrences(of: "name=grid", with: "name=grid rerun=true"))
    let replaced = try s.database().runs()
    #expect(replaced.count == 4 && Set(replaced.map(\.uuid)).isDisjoint(with: first), "the cells' runs were replaced")
  }

  /// A block training two runs per cell; `stopAt` stored runs, Ctrl-C stops the next training.
  func interruptedTwoRunSweep(stopAt: Int) -> (ExperimentShell, String) {
    let block = "sweep profile=lognormal,random seeds=1..2 name=pairs { profile $profile sparsity=0.5 as=masks; train static epochs=2 as=$profile-a-s$seed; train static epochs=2 as=$profile-b-s$seed }"
    let s = ExperimentShell()
    s.ok(tinySetup)
    let session = s.interpreter.results
    var fired = false
    s.interpreter.interruptRequested = {
      guard !fired, session.stored.count == stopAt else { return false }
      fired = true
      return true
    }
    _ = s.shell.run(block)
    return (s, block)
  }

  /// The database's runs per cell (profile, seed).
  func runsPerCell(_ db: ResultsDatabase) throws -> [String: Int] {
    Dictionary(grouping: try db.runs(), by: { "\($0.tags["profile"]!) \($0.tags["seed"]!)" }).mapValues(\.count)
  }

  @Test func aCellStoppedHalfwayIsRunAgainAndItsPartialRunReplaced() throws {
    let (s, block) = interruptedTwoRunSweep(stopAt: 3)
    #expect(s.interpreter.wasInterrupted)
    #expect(try s.database().runCount() == 3)
    #expect(try s.database().integrityCheck().isOK)
    #expect(s.output.notes.contains { $0.hasPrefix("sweep pairs stopped after 1 of 4 cells: every finished run is in \(s.dbPath)") })
    let partial = try s.database().runs().filter { $0.tags["seed"] == "2" }.map(\.uuid)

    let again = ExperimentShell(sharing: s)
    again.ok(tinySetup)
    again.ok(block)
    #expect(again.output.lines.contains("sweep pairs: 4 cells, 1 already in \(s.dbPath): skipped"))
    #expect(try runsPerCell(s.database()) == ["lognormal 1": 2, "lognormal 2": 2, "random 1": 2, "random 2": 2])
    #expect(try s.database().run(partial[0]) == nil, "the partial run was replaced by the complete cell")
  }

  @Test func aFirstCellStoppedHalfwayIsFoundShortOnceAFullCellRan() throws {
    let (s, block) = interruptedTwoRunSweep(stopAt: 1)
    #expect(try s.database().runCount() == 1)
    let again = ExperimentShell(sharing: s)
    again.ok(tinySetup)
    again.ok(block)
    // Cell 1 looked done (1 run, as many as any cell had), until cell 2 trained 2.
    #expect(again.output.lines.contains { $0.hasPrefix("[4/4] profile=lognormal seed=1:") })
    #expect(try runsPerCell(s.database()) == ["lognormal 1": 2, "lognormal 2": 2, "random 1": 2, "random 2": 2])
  }

  @Test func ctrlCBetweenCellsKeepsTheSessionDatabaseAndSaysWhere() throws {
    var shell: TestShell? = TestShell()
    shell!.ok(tinySetup)
    var polls = 0
    shell!.interpreter.interruptRequested = {
      // Every command asks before it runs, the sweep before each cell, a training at every batch
      // (3 per epoch here): sweep, cell 1, profile, train, 6 batches, then cell 2 is the 11th.
      polls += 1
      return polls == 11
    }
    _ = shell!.run(twoByTwoSweep)
    let database = try #require(shell!.interpreter.results.database)
    #expect(shell!.interpreter.results.isTemporary)
    let stored = try database.runCount()
    #expect(stored >= 1 && stored < 4)
    #expect(shell!.output.notes.last?.contains("this session's database is kept: continue with results \(database.path), then the sweep again") == true)
    let path = database.path
    shell = nil
    #expect(FileManager.default.fileExists(atPath: path), "kept after the session ended")
    let reopened = try ResultsDatabase(path: path, readOnly: true)
    #expect(try reopened.runCount() == stored && reopened.integrityCheck().isOK)
    try FileManager.default.removeItem(atPath: path)
  }

  @Test func aSessionDatabaseIsRemovedWhenTheSessionEnds() throws {
    var shell: TestShell? = TestShell()
    shell!.ok(tinySetup + "; profile random sparsity=0.5; train static epochs=1")
    let path = try #require(shell!.interpreter.results.database?.path)
    #expect(path.hasPrefix(FileManager.default.temporaryDirectory.path))
    #expect(try ResultsDatabase(path: path).runCount() == 1)
    shell = nil
    #expect(!FileManager.default.fileExists(atPath: path))
  }

  @Test func shardsPartitionTheGridAndTheirMergeGivesTheUnshardedTable() throws {
    let sweep = "sweep profile=lognormal,powerlaw,power cv=0.5 seeds=1..3 name=grid { profile $profile cv=0.5 sparsity=0.5 as=masks; train static epochs=2 as=$profile-s$seed }"
    let setupRun = "profile random sparsity=0.5; train static epochs=1 as=setup"
    let whole = ExperimentShell()
    whole.ok(tinySetup + "; " + setupRun)
    whole.ok(sweep)
    let shards = [ExperimentShell(shard: "1/2"), ExperimentShell(shard: "2/2")]
    for s in shards {
      s.ok(tinySetup + "; " + setupRun)
      s.ok(sweep)
      s.ok("table")
      #expect(s.output.notes.last?.hasPrefix("(table skipped in shard") == true)
    }
    let cells = try shards.map { try Set($0.database().runs().map { $0.tags["profile"]! + $0.tags["seed"]! }) }
    #expect(cells[0].count == 5 && cells[1].count == 4 && cells[0].isDisjoint(with: cells[1]))
    #expect(try whole.database().runs().map(\.name).contains("setup"))
    #expect(try !shards[0].database().runs().map(\.name).contains("setup"), "a shard stores only its cells' runs")

    let merged = ExperimentShell()
    merged.ok("merge \(shards[0].dbPath) \(shards[1].dbPath)")
    for s in [whole, merged] { s.ok("table; compare lognormal power by=profile; correlate fanin_cv@1 test_accuracy by=profile") }
    func report(_ s: ExperimentShell) -> [String] {
      Array(s.output.lines.drop { !$0.hasPrefix("sweep grid: test_accuracy over") }.dropFirst())
        .filter { !$0.contains(s.dbPath) }
    }
    #expect(!report(whole).isEmpty)
    #expect(report(merged) == report(whole))
    withExtendedLifetime(shards) {}  // their directories (and databases) go with them
  }

  @Test func onlyTheOutermostSweepIsShardedAndInnerCellsCarryBothKeys() throws {
    let s = ExperimentShell(shard: "1/2")
    s.ok(tinySetup)
    s.ok("sweep a=1,2 name=outer { sweep b=x,y name=inner { profile random sparsity=0.5 as=masks; train static epochs=1 as=r-$a-$b } }")
    let runs = try s.database().runs()
    #expect(runs.map(\.name).sorted() == ["r-1-x", "r-1-y"])
    #expect(runs.allSatisfy { $0.tags["sweep"] == "inner" && $0.tags["sweep_keys"] == "a,b" && $0.tags["a"] == "1" })
  }

  @Test func theDefaultNameFollowsTheBlockAndTheVariablesItReads() throws {
    let s = ExperimentShell()
    func name(_ text: String) -> String? {
      let mark = s.output.lines.count
      s.ok(text)
      return s.lines(since: mark).first { $0.hasPrefix("sweep ") }.map { String($0.dropFirst(6).prefix { $0 != ":" }) }
    }
    let block = "sweep profile=a,b seeds=1 {\n  echo $profile $epochs\n}"
    let first = try #require(name("set epochs=1; " + block))
    #expect(first.range(of: #"^profile-[0-9a-f]{8}$"#, options: .regularExpression) != nil, "\(first)")
    #expect(name("\n\n" + block) == first, "moving the sweep keeps its name")
    #expect(name("set epochs=2; " + block) != first, "a variable the block reads changes it")
    #expect(name("set other=2; " + block.replacingOccurrences(of: "$epochs", with: "$epochs x")) != first, "so does the block's text")
    #expect(name("repeat seeds=1 { echo }")?.hasPrefix("repeat-") == true)
  }

  @Test func progressIsOneStatusLineOnATerminalAndOneLinePerCell() throws {
    let output = CapturedOutput(isTerminal: true)
    let interpreter = Interpreter(output: output)
    interpreter.environment = ["PSN_THREADS": "1"]
    try interpreter.run(tinySetup + "; " + twoByTwoSweep, source: "t.psn")
    #expect(output.statuses.contains { $0.hasPrefix("sweep grid 1/4 ETA – │ epoch ") }, "the cell's training follows the sweep's progress")
    #expect(output.statuses.contains { $0.hasPrefix("sweep grid 3/4 ETA ") && !$0.hasPrefix("sweep grid 3/4 ETA –") }, "an ETA once a cell has finished")
    #expect(output.statuses.contains { $0.hasPrefix("sweep grid 2/4 ETA ") && $0.hasSuffix(" │ profile=lognormal seed=2") }, "each cell starts with its settings")
    let cells = output.lines.filter { $0.hasPrefix("[") }
    #expect(cells.count == 4)
    #expect(cells[0].hasPrefix("[1/4] profile=lognormal seed=1: lognormal-s1 test "))
    #expect(cells[3].hasPrefix("[4/4] profile=random seed=2: random-s2 test ") && !cells[3].contains("ETA"))
    #expect(interpreter.statusPrefix == nil)
  }

  static let badSweeps: [(String, String)] = [
    ("sweep seeds=1..2 { echo }", "t.psn:1:1: sweep needs at least one KEY=v1,v2,... to sweep (for seeds alone, use repeat seeds=...)"),
    ("sweep seed=1,2 { echo }", "t.psn:1:7: sweep cannot sweep 'seed' (give the seeds with seeds=)"),
    ("sweep sweep_keys=a { echo }", "t.psn:1:7: sweep cannot sweep 'sweep_keys' (the sweep sets sweep_keys itself; choose another key)"),
    ("sweep cv=1,1 { echo }", "t.psn:1:1: sweep: cv=1 is listed twice (each value once; repeat runs with more seeds)"),
    ("sweep cv=1 seeds=2,2 { echo }", "t.psn:1:1: sweep: seed=2 is listed twice (each value once; repeat runs with more seeds)"),
    ("sweep cv=1,,2 { echo }", "t.psn:1:7: cv=1,,2 has an empty value (list values separated by commas: cv=a,b)"),
    ("sweep my-key=1 { echo }", "t.psn:1:7: sweep key 'my-key': a swept key is a tag and a variable, so it takes letters, digits and _ only, starting with a letter (rename it)"),
    ("sweep cv=0.5..2 { echo }", "t.psn:1:7: ranges take whole numbers: 0.5..2 (list the values instead: 0.5 1 1.5)"),
    ("sweep cv=1", "t.psn:1:1: sweep needs a block: sweep ... { commands }"),
    ("repeat seeds=a..b { echo }", "t.psn:1:8: seeds=a..b should be seeds such as 1..10 or 1,2,3 (whole numbers ≥ 0)"),
    ("repeat seeds=1 rerun=maybe { echo }", "t.psn:1:16: rerun=maybe is not true or false"),
    ("sweep cv=1,2 {\n  echo $cv\n  lod\n}", "t.psn:3:3: unknown command 'lod' (did you mean 'load'?)"),
  ]

  @Test(arguments: badSweeps) func badSweepsSayWhatToFix(_ text: String, _ message: String) {
    let s = ExperimentShell()
    #expect(s.error(text) == message)
    #expect(((try? s.database().runCount()) ?? 0) == 0)
  }

  @Test func aBadShardIsRefusedBeforeAnyCellRuns() {
    let s = ExperimentShell(shard: "3/2")
    #expect(s.error("sweep cv=1,2 { echo $cv }") == "t.psn:1:1: --shard 3/2: not a shard (I must be between 1 and 2; shards are numbered from 1)")
    #expect(!s.output.lines.contains("1"))
  }

  @Test func aFailingCellSaysWhatIsSafe() {
    let s = ExperimentShell()
    s.ok(tinySetup)
    #expect(s.error("sweep profile=random,nosuch seeds=1 name=f { profile $profile sparsity=0.5 as=m; train static epochs=1 }").hasPrefix("t.psn:1:"))
    #expect(s.output.notes.last == "sweep f stopped after 1 of 2 cells: every finished run is in \(s.dbPath); run the sweep again to continue: finished cells are skipped")
    #expect((try? s.database().runCount()) == 1)
  }
}
