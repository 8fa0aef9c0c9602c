import Foundation
import Testing

@testable import PSNCore
@testable import PSNShell

/// `psn sweep` and `psn merge` as separate processes: shards, `--jobs`, Ctrl-C and SIGKILL in
/// the middle of a sweep. They run the `psn` binary built beside the test bundle.
@Suite(.serialized) struct ExperimentProcessTests {
  static let psn = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    .deletingLastPathComponent().appendingPathComponent("psn")

  /// A working directory with `sweep.psn`: setup (one run outside the sweep), a 3 × 3 sweep, and
  /// the script's own table and comparison.
  final class Directory {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("psn-proc-\(UUID().uuidString)").path
    init(script: String) throws {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
      try script.write(toFile: path + "/sweep.psn", atomically: true, encoding: .utf8)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func file(_ name: String) -> String { path + "/" + name }
  }

  static let script = """
    default epochs=2
    load synthetic n=400 features=12 classes=3 seed=1
    model mlp hidden=16,8 seed=1
    profile random sparsity=0.5
    train static epochs=1 as=setup
    sweep profile=lognormal,random,power seeds=1..3 name=grid {
      profile $profile sparsity=0.5 as=masks
      train static epochs=$epochs as=$profile-s$seed
    }
    table
    compare lognormal random

    """

  struct Outcome {
    var status: Int32
    var out: String
    var err: String
  }

  /// Starts `psn ARGS` in `dir` with its output going to files.
  static func start(_ arguments: [String], in dir: Directory, tag: String) throws -> (Process, () -> Outcome) {
    let p = Process()
    p.executableURL = psn
    p.arguments = arguments
    p.currentDirectoryURL = URL(fileURLWithPath: dir.path)
    var env = ProcessInfo.processInfo.environment
    env["PSN_THREADS"] = "1"
    p.environment = env
    let (out, err) = (dir.file("\(tag).out"), dir.file("\(tag).err"))
    _ = FileManager.default.createFile(atPath: out, contents: nil)
    _ = FileManager.default.createFile(atPath: err, contents: nil)
    p.standardOutput = FileHandle(forWritingAtPath: out)
    p.standardError = FileHandle(forWritingAtPath: err)
    p.standardInput = FileHandle.nullDevice
    try p.run()
    return (p, {
      p.waitUntilExit()
      return Outcome(
        status: p.terminationStatus, out: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
        err: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    })
  }

  static func run(_ arguments: [String], in dir: Directory, tag: String) throws -> Outcome {
    try start(arguments, in: dir, tag: tag).1()
  }

  /// The script's table and comparison: every line from the last table heading on, without the
  /// database paths.
  static func report(_ out: String) -> [String] {
    let lines = out.components(separatedBy: "\n")
    guard let h = lines.lastIndex(where: { $0.hasPrefix("sweep grid: test_accuracy over") }) else { return [] }
    return lines[h...].map { $0.replacingOccurrences(of: #"\(.*\.sqlite\)"#, with: "(DB)", options: .regularExpression) }
  }

  @Test func shardsMergedAndJobsGiveTheTableOfTheUnshardedSweep() throws {
    #expect(FileManager.default.isExecutableFile(atPath: Self.psn.path), "psn is built beside the tests")
    let dir = try Directory(script: Self.script)
    let whole = try Self.run(["sweep", "sweep.psn", "--db", "whole.sqlite"], in: dir, tag: "whole")
    #expect(whole.status == 0, "\(whole.err)")
    let expected = Self.report(whole.out)
    #expect(expected.count > 8 && expected.contains { $0.hasPrefix("  Welch's t-test: t = ") })

    for i in 1...2 {
      let shard = try Self.run(["sweep", "sweep.psn", "--shard", "\(i)/2"], in: dir, tag: "shard\(i)")
      #expect(shard.status == 0, "\(shard.err)")
      #expect(shard.out.contains("sweep grid: \(i == 1 ? 5 : 4) cells (shard \(i)/2 of 9 cells)"))
      #expect(shard.err.contains("(table skipped in shard \(i)/2"))
    }
    let merge = try Self.run(["merge", "--into", "merged.sqlite", "sweep-shard-1-of-2.sqlite", "sweep-shard-2-of-2.sqlite"], in: dir, tag: "merge")
    #expect(merge.status == 0 && merge.out.hasSuffix("merged.sqlite: 9 runs; integrity: ok\n"), "\(merge.out)\(merge.err)")
    let report = try Self.run(["sweep", "sweep.psn", "--db", "merged.sqlite"], in: dir, tag: "report")
    #expect(report.out.contains("sweep grid: 9 cells, 9 already in merged.sqlite: skipped"))
    #expect(Self.report(report.out) == expected)

    let jobs = try Self.run(["sweep", "sweep.psn", "--jobs", "2", "--db", "jobs.sqlite"], in: dir, tag: "jobs")
    #expect(jobs.status == 0, "\(jobs.err)")
    #expect(jobs.out.contains("[1/2] sweep grid: 5 cells (shard 1/2 of 9 cells)") && jobs.out.contains("[2/2] sweep grid: 4 cells (shard 2/2 of 9 cells)"))
    #expect(Self.report(jobs.out) == expected)
    let runs = try ResultsDatabase(path: dir.file("jobs.sqlite"), readOnly: true).runs()
    #expect(runs.count == 10 && runs.filter { $0.name == "setup" }.count == 1, "the sweep's 9 runs and the setup once")
    #expect(!FileManager.default.fileExists(atPath: dir.file("jobs-shards")), "the shard databases are removed once merged")
  }

  /// A sweep slow enough to stop in the middle: 6 cells of about half a second each.
  static let slowScript = """
    load synthetic n=20000 features=100 classes=4 seed=1
    model mlp hidden=128,64 seed=1
    sweep cv=0.5,1,1.5 seeds=1..2 name=slow {
      profile lognormal cv=$cv sparsity=0.8 as=masks
      train static epochs=20 as=ln-$cv-s$seed
    }

    """

  /// Names of the cells a sweep reported finished (`[k/N] … : NAME test …`).
  static func reported(_ out: String) -> Set<String> {
    Set(out.components(separatedBy: "\n").compactMap { line -> String? in
      guard line.hasPrefix("["), let colon = line.range(of: ": ") else { return nil }
      return line[colon.upperBound...].split(separator: " ").first.map(String.init)
    })
  }

  /// Waits until the database at `path` holds at least `count` runs.
  static func waitForRuns(_ path: String, _ count: Int, _ process: Process) throws {
    let deadline = Date().addingTimeInterval(120)
    while Date() < deadline && process.isRunning {
      if FileManager.default.fileExists(atPath: path), let n = try? ResultsDatabase(path: path, readOnly: true).runCount(), n >= count { return }
      Thread.sleep(forTimeInterval: 0.02)
    }
  }

  @Test(arguments: [SIGINT, SIGKILL]) func stoppingASweepKeepsEveryFinishedRunAndAgainContinuesIt(_ signal: Int32) throws {
    let dir = try Directory(script: Self.slowScript)
    let (process, finish) = try Self.start(["sweep", "sweep.psn", "--db", "r.sqlite"], in: dir, tag: "stopped")
    try Self.waitForRuns(dir.file("r.sqlite"), 2, process)
    kill(process.processIdentifier, signal)
    let stopped = finish()
    // Read-write: after a SIGKILL inside a transaction, the next opener rolls it back.
    let db = try ResultsDatabase(path: dir.file("r.sqlite"))
    let names = Set(try db.runs().map(\.name))
    #expect(names.count >= 2 && names.count < 6, "stopped in the middle: \(names.count) runs")
    #expect(Self.reported(stopped.out).isSubset(of: names), "every cell reported finished is stored")
    #expect(try db.integrityCheck().isOK)
    if signal == SIGINT {
      #expect(stopped.status == 130)
      #expect(stopped.err.contains("sweep slow stopped after ") && stopped.err.contains("run the sweep again to continue"))
    }
    if let sqlite3 = ["/usr/bin/sqlite3", "/bin/sqlite3"].first(where: FileManager.default.isExecutableFile(atPath:)) {
      let check = Process()
      check.executableURL = URL(fileURLWithPath: sqlite3)
      check.arguments = [dir.file("r.sqlite"), "PRAGMA integrity_check;"]
      let pipe = Pipe()
      check.standardOutput = pipe
      try check.run()
      check.waitUntilExit()
      #expect(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "ok\n")
    }

    let again = try Self.run(["sweep", "sweep.psn", "--db", "r.sqlite"], in: dir, tag: "again")
    #expect(again.status == 0, "\(again.err)")
    #expect(again.out.contains("sweep slow: 6 cells, \(names.count) already in r.sqlite: skipped"))
    let final = try ResultsDatabase(path: dir.file("r.sqlite"), readOnly: true).runs()
    #expect(final.count == 6 && Set(final.map(\.name)).count == 6, "one run per cell")
  }

  @Test func badCommandLinesSayWhatToFix() throws {
    let dir = try Directory(script: Self.script)
    let merge = try Self.run(["merge", "--into", "m.sqlite", "missing.sqlite"], in: dir, tag: "m")
    #expect(merge.status == 1 && merge.err.contains("missing.sqlite: no such results database (check the path)"))
    let shard = try Self.run(["sweep", "sweep.psn", "--shard", "3/2"], in: dir, tag: "s")
    #expect(shard.status != 0 && shard.err.contains("--shard 3/2: not a shard (I must be between 1 and 2; shards are numbered from 1)"))
    let both = try Self.run(["sweep", "sweep.psn", "--shard", "1/2", "--jobs", "2"], in: dir, tag: "b")
    #expect(both.status != 0 && both.err.contains("give --shard or --jobs, not both"))
    let missing = try Self.run(["sweep", "nosuch.psn", "--db", "x.sqlite"], in: dir, tag: "n")
    #expect(missing.status == 1 && missing.err.contains("cannot run nosuch.psn: no such file"))
  }
}
