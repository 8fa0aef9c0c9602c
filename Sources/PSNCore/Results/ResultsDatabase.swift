import Foundation
import GRDB

/// The SQLite database of finished runs (docs/results.md): one file, queryable with `sqlite3`.
///
/// **Crash safety.** Every write is one transaction: a run is stored whole or not at all, and a
/// SIGKILL, Ctrl-C or power cut at any moment leaves the database as it was after the last
/// commit. The journal is SQLite's rollback journal (`journal_mode=DELETE`) with
/// `synchronous=FULL`, rather than WAL, because:
/// - after every commit the database is exactly one self-contained file: a shard's database can
///   be copied off a cluster node and merged without its `-wal`/`-shm` companions (with WAL, a
///   copy of the main file alone silently lacks the runs not yet checkpointed);
/// - it works on network file systems, where cluster jobs usually write (WAL needs shared memory
///   between processes, which NFS does not provide);
/// - the next opener (psn or `sqlite3`) rolls back a transaction a crash interrupted, from the
///   hot journal, before reading.
/// WAL's advantage, readers not blocking the writer, does not matter at one short write per run;
/// a reader that holds the file (an open `sqlite3`) delays the writer up to `busyTimeout`.
public final class ResultsDatabase: Sendable {
  public let path: String
  let queue: DatabaseQueue

  /// How long a write waits for another connection (a `sqlite3` reading the file) to let go.
  public static let busyTimeout: TimeInterval = 30

  /// Opens the database at `path`, creating it (and its schema) when the file does not exist or
  /// is empty. `readOnly` opens an existing database without ever writing to it.
  ///
  /// Throws ``ResultsError/notAResultsDatabase(path:)`` for another application's SQLite file and
  /// ``ResultsError/schemaMismatch(path:found:expected:)`` for another schema version.
  public init(path: String, readOnly: Bool = false) throws(ResultsError) {
    self.path = path
    if readOnly, !FileManager.default.fileExists(atPath: path) { throw .notFound(path: path) }
    var config = Configuration()
    config.readonly = readOnly
    config.busyMode = .timeout(Self.busyTimeout)
    config.foreignKeysEnabled = true
    config.label = "psn.results"
    if !readOnly {
      config.prepareDatabase { db in
        try db.execute(sql: "PRAGMA journal_mode = DELETE")
        try db.execute(sql: "PRAGMA synchronous = FULL")
      }
    }
    do {
      queue = try DatabaseQueue(path: path, configuration: config)
    } catch {
      throw .cannotOpen(path: path, reason: Self.message(error))
    }
    try openSchema(readOnly: readOnly)
  }

  /// Creates the schema in an empty database, or checks the version of an existing one.
  private func openSchema(readOnly: Bool) throws(ResultsError) {
    let path = self.path
    let state: SchemaState
    do {
      state = try queue.read { db in try Self.schemaState(db, schema: "main") }
    } catch {
      throw Self.openFailure(path, error)
    }
    switch state {
    case .current: return
    case .notResults: throw .notAResultsDatabase(path: path)
    case .version(let found): throw .schemaMismatch(path: path, found: found, expected: ResultsSchema.version)
    case .empty:
      if readOnly { throw .notAResultsDatabase(path: path) }
      try write("create the schema") { db in
        // Another process may have created it between the check and this transaction.
        guard try Self.schemaState(db, schema: "main") == .empty else { return }
        try db.execute(sql: ResultsSchema.creation)
        try db.execute(
          sql: "INSERT INTO meta (key, value) VALUES ('schema_version', ?), ('created_by', ?), ('created_at', ?)",
          arguments: [String(ResultsSchema.version), "psn \(PSNVersion.current)", ResultsTimestamp.format(Date())])
      }
      try openSchema(readOnly: readOnly)
    }
  }

  enum SchemaState: Equatable {
    case empty, current, notResults
    case version(String)
  }

  /// What `schema` (main, or an attached database) holds.
  static func schemaState(_ db: Database, schema: String) throws -> SchemaState {
    let tables = try String.fetchAll(
      db, sql: "SELECT name FROM \(schema).sqlite_master WHERE type = 'table'")
    if tables.isEmpty { return .empty }
    guard tables.contains("meta") else { return .notResults }
    let version = try String.fetchOne(
      db, sql: "SELECT value FROM \(schema).meta WHERE key = 'schema_version'")
    guard let version else { return .notResults }
    return version == String(ResultsSchema.version) ? .current : .version(version)
  }

  // MARK: - Writing runs

  /// Stores `record` with its tags, epochs, layers and mask updates in one transaction.
  ///
  /// A uuid that is already stored is refused (``ResultsError/duplicateRun(uuid:path:)``) unless
  /// `replacing`, which deletes the old run's rows in the same transaction.
  public func insert(_ record: RunRecord, replacing: Bool = false) throws(ResultsError) {
    try insert(record, replacing: replacing, midTransaction: nil)
  }

  /// Records `run` (with its final `model`, see `RunRecord.init(run:model:uuid:hubFraction:recordedAt:)`)
  /// and stores it in one transaction, under `uuid` or else the run's own; returns the stored
  /// record. `replacing` lets a resumed run replace the record it had before.
  @discardableResult
  public func insert(run: TrainingRun, model: MLP, uuid: UUID? = nil, replacing: Bool = false) throws(ResultsError) -> RunRecord {
    let record = try RunRecord(run: run, model: model, uuid: uuid ?? run.uuid)
    try insert(record, replacing: replacing)
    return record
  }

  /// `midTransaction` runs after the runs row and before the child rows, inside the
  /// transaction: the crash-safety test kills the process there.
  func insert(_ record: RunRecord, replacing: Bool, midTransaction: (() -> Void)?) throws(ResultsError) {
    for key in record.tags.keys { try RunRecord.validateTagKey(key) }
    let path = self.path
    try write("store run \(record.uuid.uuidString.lowercased())") { db in
      let uuid = record.uuid.uuidString.lowercased()
      if try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE uuid = ?", arguments: [uuid]) == true {
        guard replacing else { throw ResultsError.duplicateRun(uuid: uuid, path: path) }
        try db.execute(sql: "DELETE FROM runs WHERE uuid = ?", arguments: [uuid])
      }
      try RunRows.insert(record, into: db)
      midTransaction?()
      try RunRows.insertDetails(record, into: db)
    }
  }

  /// Deletes runs (and their rows in every table) by uuid; returns how many existed.
  @discardableResult
  public func delete(_ uuids: [UUID]) throws(ResultsError) -> Int {
    try write("delete runs") { db in
      var count = 0
      for uuid in uuids {
        try db.execute(sql: "DELETE FROM runs WHERE uuid = ?", arguments: [uuid.uuidString.lowercased()])
        count += db.changesCount
      }
      return count
    }
  }

  // MARK: - Checking

  /// SQLite's `PRAGMA integrity_check` (b-trees, indexes, NOT NULL and CHECK constraints) and
  /// `PRAGMA foreign_key_check` (every child row names a stored run).
  public func integrityCheck() throws(ResultsError) -> IntegrityReport {
    try read("check integrity") { db in
      let problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
      let orphans = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").map { row in
        "\(row[0] as String? ?? "?") row \(row[1] as Int64? ?? -1) names a run that is not stored"
      }
      return IntegrityReport(problems: problems + orphans)
    }
  }

  /// The number of stored runs.
  public func runCount() throws(ResultsError) -> Int {
    try read("count runs") { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM runs") ?? 0 }
  }

  // MARK: - GRDB access with typed errors

  /// A write transaction (`BEGIN IMMEDIATE`: the write lock is taken up front, so two writers
  /// never both read and then fail to upgrade). Errors become ``ResultsError``.
  func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(ResultsError) -> T {
    do {
      return try queue.writeWithoutTransaction { db in
        var result: T?
        try db.inTransaction(.immediate) {
          result = try body(db)
          return .commit
        }
        return result!
      }
    } catch {
      throw mapped(error, operation)
    }
  }

  /// A read-only access: even SQL the user typed cannot change the database here.
  func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(ResultsError) -> T {
    do {
      return try queue.read(body)
    } catch {
      throw mapped(error, operation)
    }
  }

  func mapped(_ error: any Error, _ operation: String) -> ResultsError {
    if let e = error as? ResultsError { return e }
    return .failed(path: path, operation: operation, reason: Self.message(error))
  }

  /// Why `path` could not be opened or read: damaged (SQLite found a malformed page), or not
  /// openable at all.
  static func openFailure(_ path: String, _ error: any Error) -> ResultsError {
    if let e = error as? DatabaseError, e.resultCode == .SQLITE_CORRUPT {
      return .damaged(path: path, problems: message(error))
    }
    return .cannotOpen(path: path, reason: message(error))
  }

  /// SQLite's message for a GRDB error ("no such column: cvv"), else the error's description.
  static func message(_ error: any Error) -> String {
    if let e = error as? DatabaseError { return e.message ?? "SQLite error \(e.resultCode.rawValue)" }
    return "\(error)"
  }
}

/// The outcome of ``ResultsDatabase/integrityCheck()``.
public struct IntegrityReport: Sendable, Equatable {
  /// SQLite's messages; empty when the database is sound.
  public var problems: [String]
  public var isOK: Bool { problems.isEmpty }
}
