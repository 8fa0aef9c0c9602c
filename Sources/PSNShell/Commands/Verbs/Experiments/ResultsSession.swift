import Foundation
import PSNCore

/// The results database of one interpreter (docs/experiments.md "Where results go"): every run
/// that finishes is stored in it at once, in a transaction of its own, so a finished run
/// survives a later Ctrl-C or crash.
///
/// - `PSN_RESULTS=FILE` in the interpreter's environment (which `psn sweep --db FILE` sets), or
///   `results FILE` at any time, attaches a file; the runs stored so far are copied into it.
/// - Otherwise the database is a session file in the temporary directory, created at the first
///   finished run. It is removed when the session ends, except after a sweep stopped part-way
///   (its path is printed then): what a Ctrl-C'd sweep finished is never lost.
/// - `save` copies the database into the save directory; `open` adds the saved copy's runs.
public final class ResultsSession {
  /// nil until the first run finishes or a command needs the database.
  public private(set) var database: ResultsDatabase?
  /// Whether `database` is the session's temporary file rather than one the user attached.
  public private(set) var isTemporary = false
  /// Keep the temporary file when the session ends (a sweep stopped part-way).
  var keepTemporary = false
  /// Sweeps running now, outermost first.
  var activeSweeps: [SweepIdentity] = []
  /// The sweep this session ran last: what `table`, `compare` and `correlate` show by default.
  var lastSweep: SweepIdentity?
  /// The runs this session stored, in order (a sweep reports each cell's runs from it).
  private(set) var stored: [StoredRun] = []

  /// What a sweep needs to know about a run it just stored.
  struct StoredRun {
    var uuid: UUID
    var name: String
    var testAccuracy: Double?
  }

  public init() {}

  deinit {
    if let database, isTemporary, !keepTemporary { Self.remove(database.path) }
  }

  /// The database, opened (or created) on first use.
  func open(_ interpreter: Interpreter) throws -> ResultsDatabase {
    if let database { return database }
    let opened: ResultsDatabase
    if let path = interpreter.environment["PSN_RESULTS"], !path.isEmpty {
      opened = try ResultsDatabase(path: (path as NSString).expandingTildeInPath)
    } else {
      let name = "psn-session-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8).lowercased()).sqlite"
      opened = try ResultsDatabase(path: FileManager.default.temporaryDirectory.appendingPathComponent(name).path)
      isTemporary = true
    }
    database = opened
    return opened
  }

  /// `runFinishedHandlers`: stores `run` with its final `model` (a resumed run replaces the
  /// record it had). A shard of a sharded sweep stores only its sweep cells' runs, so the merged
  /// database holds the script's other runs (its setup) once, from the report that follows.
  func store(_ run: TrainingRun, model: MLP, from interpreter: Interpreter) throws {
    if interpreter.environment["PSN_SHARD"] != nil && activeSweeps.isEmpty { return }
    do {
      try open(interpreter).insert(run: run, model: model, replacing: true)
    } catch {
      throw ShellError("\(run.name) finished, but the results database could not store it: \(error)")
    }
    stored.append(StoredRun(uuid: run.uuid, name: run.name, testAccuracy: run.testAccuracy))
  }

  /// Makes the file at `path` (created if missing) the database: the runs stored so far are
  /// copied into it first, and a temporary session file is then removed.
  func attach(_ path: String) throws -> (database: ResultsDatabase, copied: Int) {
    if let database, Self.samePath(database.path, path) { return (database, 0) }
    let target = try ResultsDatabase(path: path)
    var copied = 0
    if let current = database, try current.runCount() > 0 {
      copied = try target.merge(from: [current.path]).added
    }
    if let current = database, isTemporary { Self.remove(current.path) }
    database = target
    isTemporary = false
    keepTemporary = false
    return (target, copied)
  }

  /// Writes a copy of the database to `path` (for `save`); nothing when no run was stored yet.
  func copy(to path: String) throws {
    guard let database, try database.runCount() > 0 else { return }
    try ResultsDatabase(path: path).merge(from: [database.path])
  }

  /// The file name of the database's copy in a save directory.
  static let savedFileName = "results.sqlite"

  /// Adds the runs of the copy `open` found in a save (nothing is removed: a finished run is
  /// never lost, and runs the database already has are recognised by uuid); returns how many.
  func adopt(savedCopy path: String, _ interpreter: Interpreter) throws -> Int {
    try open(interpreter).merge(from: [path]).added
  }

  /// Where the database is, for messages: the path, said to be temporary when it is.
  var description: String {
    guard let database else { return "no results database yet" }
    return isTemporary ? "\(database.path) (this session's; results FILE.db keeps its runs)" : database.path
  }

  static func samePath(_ a: String, _ b: String) -> Bool {
    URL(fileURLWithPath: a).resolvingSymlinksInPath().standardizedFileURL
      == URL(fileURLWithPath: b).resolvingSymlinksInPath().standardizedFileURL
  }

  private static func remove(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
    try? FileManager.default.removeItem(atPath: path + "-journal")
  }
}

/// A sweep as tables and comparisons find it: its name (the `sweep` tag of its runs) and its keys
/// in the order the sweep gave them (the `sweep_keys` tag).
struct SweepIdentity: Equatable {
  var name: String
  var keys: [String]
}
