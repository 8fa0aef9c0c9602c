import ArgumentParser
import Foundation
import PSNCore
import PSNShell
import Synchronization

/// `psn sweep` and `psn merge`: commands of their own, dispatched by their first word before the
/// root command reads the rest as script files (which would swallow the word).
enum PSNSubcommands {
  static let all: [any ParsableCommand.Type] = [SweepCommand.self, MergeCommand.self]

  /// Runs `psn sweep|merge ...` and returns true (exiting on an error); false for anything else.
  static func dispatch(_ arguments: [String]) -> Bool {
    guard let first = arguments.first, let command = all.first(where: { $0.configuration.commandName == first }) else {
      return false
    }
    command.main(Array(arguments.dropFirst()))
    return true
  }
}

/// `psn sweep FILE`: runs a script with its results going to a database file — all of its
/// sweeps' cells, one shard of them (`--shard I/N`), or all of them in K local processes
/// (`--jobs K`), merged at the end (docs/experiments.md "Shards and jobs").
struct SweepCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract: "Run a script's sweeps into a results database: all cells, one shard, or K shards in parallel.",
    usage: "psn sweep FILE [--shard I/N | --jobs K] [--db FILE] [-c COMMANDS] [--json]",
    discussion: """
      Everything outside the script's sweep blocks runs in every process (its setup). \
      Under --shard I/N each sweep runs only the cells k with k mod N = I − 1 (grid order, from 0) \
      and stores only its cells' runs; merge the N databases with psn merge --into MERGED, then run \
      psn sweep FILE --db MERGED once more to print the script's tables (every cell is found done \
      and skipped). --jobs K does all of that with K local processes.
      """)

  @Argument(help: "The .psn script.")
  var file: String

  @Option(help: "Run only shard I of N of every sweep (I from 1), e.g. --shard 2/4.")
  var shard: String?

  @Option(help: "Run K shards as K local psn processes, then merge them into --db and print the script's tables.")
  var jobs: Int?

  @Option(help: "The results database (default: FILE's name with .sqlite, or -shard-I-of-N.sqlite with --shard).")
  var db: String?

  @Option(name: .customShort("c"), help: "A command line to run before the script in every process, e.g. -c 'set epochs=1'.")
  var command: String?

  @Flag(name: .long, help: "Print each command's result as one JSON object per line on stdout (with --jobs: the final report's).")
  var json = false

  func validate() throws {
    if shard != nil && jobs != nil { throw ValidationError("give --shard or --jobs, not both") }
    if let jobs, jobs < 1 { throw ValidationError("--jobs \(jobs): give at least 1") }
    if let shard {
      do { _ = try SweepShard(parsing: shard) } catch { throw ValidationError(error.description) }
    }
  }

  /// `FILE.sqlite`, `FILE-shard-2-of-4.sqlite` in the working directory.
  private var database: String {
    if let db { return db }
    let base = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
    if let shard, let s = try? SweepShard(parsing: shard) { return "\(base)-shard-\(s.index)-of-\(s.count).sqlite" }
    return base + ".sqlite"
  }

  func run() throws {
    // Also unblocks SIGINT that a parent (a test runner's thread, a job launcher) passed on:
    // otherwise Ctrl-C and the --jobs parent's forwarding would never reach the handler.
    Interrupts.install()
    let interrupted = { Interrupts.consume() }
    let output = StandardOutput()
    let environment = ProcessInfo.processInfo.environment
    if let jobs {
      var sweep = SweepJobs(
        script: file, jobs: jobs, database: database, command: command,
        executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath(), environment: environment)
      sweep.jsonMode = json
      let lock = Mutex(())
      let outcome: SweepJobs.Outcome
      do {
        outcome = try sweep.runShards(
          log: { line, toError in
            lock.withLock { _ in (toError ? FileHandle.standardError : FileHandle.standardOutput).write(Data((line + "\n").utf8)) }
          },
          interrupted: interrupted)
      } catch {
        output.error("psn sweep: \(error)")
        throw ExitCode(1)
      }
      for s in outcome.merged?.sources ?? [] {
        output.note("merged \(s.path): \(s.added) runs added, \(s.duplicates) already there")
      }
      guard outcome.succeeded else {
        let failed = outcome.exitCodes.enumerated().filter { $0.element != 0 }.map { "\($0.offset + 1)/\(jobs) (exit \($0.element))" }
        output.error("psn sweep: \(outcome.interrupted ? "interrupted" : "shards failed: " + failed.joined(separator: ", ")); every finished run is merged into \(database); the shard databases stay in \(sweep.shardFolder); run the same command again to continue")
        throw ExitCode(outcome.interrupted ? 130 : 1)
      }
      try finish { () throws(Interpreter.Stop) in try sweep.report(output: output, interrupted: interrupted) }
      sweep.removeShards()
      return
    }
    let interpreter = Interpreter(output: output)
    interpreter.jsonMode = json
    interpreter.interruptRequested = interrupted
    interpreter.environment["PSN_RESULTS"] = database
    if let shard { interpreter.environment["PSN_SHARD"] = shard } else { interpreter.environment.removeValue(forKey: "PSN_SHARD") }
    try finish { () throws(Interpreter.Stop) in
      if let command { try interpreter.run(command, source: "-c") }
      try interpreter.runFile(file)
    }
  }

  /// Runs `body`, turning how a script stopped into psn's exit codes (1 error, 130 Ctrl-C).
  private func finish(_ body: () throws(Interpreter.Stop) -> Void) throws {
    do {
      try body()
    } catch .failed(let error) {
      FileHandle.standardError.write(Data((error.description + "\n").utf8))
      throw ExitCode(1)
    } catch .interrupted {
      throw ExitCode(130)
    } catch .quit {
      return
    }
  }
}

/// `psn merge --into FILE DB...`: the shards of a sweep (or any results databases) into one.
struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Merge results databases (e.g. a sweep's shards) into one, without duplicating runs.",
    usage: "psn merge --into FILE DB...")

  @Option(help: "The database to merge into (created if missing).")
  var into: String

  @Argument(help: "The databases to merge in.")
  var databases: [String]

  func validate() throws {
    if databases.isEmpty { throw ValidationError("name at least one database to merge in") }
  }

  func run() throws {
    do {
      let target = try ResultsDatabase(path: into)
      let report = try target.merge(from: databases)
      for s in report.sources { print("merged \(s.path): \(s.added) runs added, \(s.duplicates) already there") }
      let health = try target.integrityCheck()
      print("\(into): \(try target.runCount()) runs; integrity: \(health.isOK ? "ok" : health.problems.joined(separator: "; "))")
      if !health.isOK { throw ExitCode(1) }
    } catch let error as ResultsError {
      FileHandle.standardError.write(Data("psn merge: \(error)\n".utf8))
      throw ExitCode(1)
    }
  }
}
