import Foundation
import PSNCore

/// `psn sweep FILE --jobs K --db DB` (docs/experiments.md "Shards and jobs"): runs shard i/K of
/// the script's sweeps in K child `psn` processes, each into its own database, merges those into
/// DB, then runs the script once more against DB — its sweeps find every cell done and skip
/// them, so this last pass costs only the script's setup — to print the script's own tables.
///
/// - The shard databases live in `DB-shards/`; each starts as a copy of DB, so cells DB already
///   holds are skipped and running the same command again after Ctrl-C continues the sweep.
/// - Children write their output to the parent's, each line prefixed `[i/K]`.
/// - Ctrl-C reaches the children (and is forwarded to them); what they finished is merged.
/// - The shard folder is removed once everything is merged and reported.
public struct SweepJobs {
  public var script: String
  public var jobs: Int
  public var database: String
  /// A command line each process runs before the script (`-c 'set epochs=1'`).
  public var command: String?
  /// The `psn` binary to start.
  public var executable: URL
  public var environment: [String: String]
  /// `--json` for the report pass (the children's relayed lines stay text).
  public var jsonMode = false

  public init(script: String, jobs: Int, database: String, command: String?, executable: URL, environment: [String: String]) {
    self.script = script
    self.jobs = jobs
    self.database = database
    self.command = command
    self.executable = executable
    self.environment = environment
  }

  /// Where the shard databases go: `DB-shards/shard-I-of-K.sqlite`.
  public var shardFolder: String { (database as NSString).deletingPathExtension + "-shards" }

  public func shardPath(_ i: Int) -> String { shardFolder + "/shard-\(i)-of-\(jobs).sqlite" }

  /// What happened: the children's exit codes and the merge.
  public struct Outcome {
    public var exitCodes: [Int32]
    public var merged: MergeReport?
    public var interrupted: Bool
    public var succeeded: Bool { !interrupted && exitCodes.allSatisfy { $0 == 0 } }
  }

  /// Runs the K shards and merges them into the database; `interrupted` is polled while the
  /// children run (Ctrl-C in the parent). The report pass is `report(output:interrupted:)`.
  public func runShards(log: @escaping @Sendable (String, Bool) -> Void, interrupted: () -> Bool) throws -> Outcome {
    guard jobs >= 1 else { throw ShellError("--jobs \(jobs): give at least 1") }
    do {
      try FileManager.default.createDirectory(atPath: shardFolder, withIntermediateDirectories: true)
    } catch {
      throw ShellError("cannot make \(shardFolder) for the shard databases: \(error.localizedDescription)")
    }
    let target = try ResultsDatabase(path: database)
    if try target.runCount() > 0 {
      for i in 1...jobs { try ResultsDatabase(path: shardPath(i)).merge(from: [database]) }
    }
    var children: [Process] = []
    var readers: [Thread] = []
    for i in 1...jobs {
      let child = Process()
      child.executableURL = executable
      child.arguments = ["sweep", script, "--shard", "\(i)/\(jobs)", "--db", shardPath(i)] + (command.map { ["-c", $0] } ?? [])
      var env = environment
      env["PSN_THREADS"] = env["PSN_THREADS"] ?? "1"
      env.removeValue(forKey: "PSN_SHARD")
      env.removeValue(forKey: "PSN_RESULTS")
      child.environment = env
      let (out, err) = (Pipe(), Pipe())
      child.standardOutput = out
      child.standardError = err
      child.standardInput = FileHandle.nullDevice
      readers.append(Self.relay(out.fileHandleForReading, prefix: "[\(i)/\(jobs)] ", toError: false, log))
      readers.append(Self.relay(err.fileHandleForReading, prefix: "[\(i)/\(jobs)] ", toError: true, log))
      do {
        try child.run()
      } catch {
        for c in children { c.interrupt() }
        throw ShellError("cannot start \(executable.path): \(error.localizedDescription)")
      }
      children.append(child)
    }
    for r in readers { r.start() }
    var stopping = false
    while children.contains(where: \.isRunning) {
      if !stopping && interrupted() {
        stopping = true
        log("interrupted: stopping the \(jobs) shards at their next batch boundary", true)
        for c in children where c.isRunning { c.interrupt() }
      }
      Thread.sleep(forTimeInterval: 0.05)
    }
    while readers.contains(where: { !$0.isFinished }) { Thread.sleep(forTimeInterval: 0.01) }
    let codes = children.map(\.terminationStatus)
    let sources = (1...jobs).map(shardPath).filter { FileManager.default.fileExists(atPath: $0) }
    let report = sources.isEmpty ? nil : try target.merge(from: sources)
    return Outcome(exitCodes: codes, merged: report, interrupted: stopping || codes.contains(130))
  }

  /// The last pass: the script once more, unsharded, against the merged database.
  public func report(output: ShellOutput, interrupted: @escaping () -> Bool) throws(Interpreter.Stop) {
    let interpreter = Interpreter(output: output)
    interpreter.jsonMode = jsonMode
    interpreter.environment = environment
    interpreter.environment["PSN_RESULTS"] = database
    interpreter.environment.removeValue(forKey: "PSN_SHARD")
    interpreter.interruptRequested = interrupted
    if let command { try interpreter.run(command, source: "-c") }
    try interpreter.runFile(script)
  }

  /// Removes the shard databases (after they were merged and reported).
  public func removeShards() {
    for i in 1...max(jobs, 1) {
      try? FileManager.default.removeItem(atPath: shardPath(i))
      try? FileManager.default.removeItem(atPath: shardPath(i) + "-journal")
    }
    try? FileManager.default.removeItem(atPath: shardFolder)
  }

  /// A thread copying `handle`'s lines to `log`, each with `prefix`.
  private static func relay(_ handle: FileHandle, prefix: String, toError: Bool, _ log: @escaping @Sendable (String, Bool) -> Void) -> Thread {
    Thread {
      var pending = Data()
      while true {
        let chunk = handle.availableData
        if chunk.isEmpty { break }
        pending.append(chunk)
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
          log(prefix + String(decoding: pending[..<newline], as: UTF8.self), toError)
          pending.removeSubrange(...newline)
        }
      }
      if !pending.isEmpty { log(prefix + String(decoding: pending, as: UTF8.self), toError) }
    }
  }
}
