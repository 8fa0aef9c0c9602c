import Foundation
import GRDB

/// What `merge(from:)` did with each source database.
public struct MergeReport: Sendable, Equatable {
  public struct Source: Sendable, Equatable {
    public var path: String
    /// Runs copied in.
    public var added: Int
    /// Runs skipped because the target already had their uuid.
    public var duplicates: Int
  }

  public var sources: [Source]
  public var added: Int { sources.reduce(0) { $0 + $1.added } }
  public var duplicates: Int { sources.reduce(0) { $0 + $1.duplicates } }
}

extension ResultsDatabase {
  /// Copies every run of the databases at `paths` that this database lacks (by uuid), with all
  /// its rows, e.g. the shards of a sweep into one database.
  ///
  /// Every source is checked first — it exists, is a psn results database of this schema
  /// version, passes `PRAGMA quick_check`, and is not this database — so a bad source is
  /// refused before anything is merged. Each source is then copied in its own transaction
  /// (SQLite cannot attach a database inside one). Merging the same source again adds nothing,
  /// so a merge that failed part-way can simply be run again.
  @discardableResult
  public func merge(from paths: [String]) throws(ResultsError) -> MergeReport {
    for source in paths { try checkMergeSource(source) }
    var report = MergeReport(sources: [])
    for source in paths {
      report.sources.append(try mergeOne(source))
    }
    return report
  }

  private func checkMergeSource(_ source: String) throws(ResultsError) {
    guard FileManager.default.fileExists(atPath: source) else { throw .notFound(path: source) }
    let here = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL
    let there = URL(fileURLWithPath: source).resolvingSymlinksInPath().standardizedFileURL
    guard here != there else { throw .mergeIntoItself(path: source) }
    try attached(source) { db throws(ResultsError) in
      let state: SchemaState
      let problems: [String]
      do {
        state = try Self.schemaState(db, schema: "source")
        problems = state == .current
          ? try String.fetchAll(db, sql: "PRAGMA source.quick_check").filter { $0 != "ok" } : []
      } catch {
        throw Self.openFailure(source, error)
      }
      switch state {
      case .current: break
      case .empty, .notResults: throw .notAResultsDatabase(path: source)
      case .version(let found): throw .schemaMismatch(path: source, found: found, expected: ResultsSchema.version)
      }
      guard problems.isEmpty else {
        throw .damaged(path: source, problems: problems.joined(separator: "; "))
      }
    }
  }

  private func mergeOne(_ source: String) throws(ResultsError) -> MergeReport.Source {
    try attached(source) { db throws(ResultsError) in
      do {
        var counts = (added: 0, duplicates: 0)
        try db.inTransaction(.immediate) {
          try db.execute(sql: """
            CREATE TEMP TABLE merge_new AS
              SELECT uuid FROM source.runs WHERE uuid NOT IN (SELECT uuid FROM main.runs)
            """)
          counts.added = try Int.fetchOne(db, sql: "SELECT count(*) FROM merge_new") ?? 0
          counts.duplicates = (try Int.fetchOne(db, sql: "SELECT count(*) FROM source.runs") ?? 0) - counts.added
          for table in ResultsSchema.tables {
            let columns = try Self.columns(of: table, db)
            guard try Self.columns(of: table, db, schema: "source") == columns else {
              throw ResultsError.damaged(path: source, problems: "its \(table) table has other columns than psn's")
            }
            let list = columns.map(Self.identifier).joined(separator: ", ")
            let key = table == "runs" ? "uuid" : "run"
            try db.execute(sql: """
              INSERT INTO main.\(table) (\(list))
                SELECT \(list) FROM source.\(table) WHERE \(key) IN (SELECT uuid FROM merge_new)
              """)
          }
          try db.execute(sql: "DROP TABLE merge_new")
          return .commit
        }
        return MergeReport.Source(path: source, added: counts.added, duplicates: counts.duplicates)
      } catch let error as ResultsError {
        throw error
      } catch {
        throw .failed(path: path, operation: "merge \(source)", reason: Self.message(error))
      }
    }
  }

  /// Runs `body` with `source` attached as schema `source`, detached afterwards.
  private func attached<T>(_ source: String, _ body: (Database) throws(ResultsError) -> T) throws(ResultsError) -> T {
    do {
      return try queue.writeWithoutTransaction { db in
        try db.execute(sql: "ATTACH DATABASE ? AS source", arguments: [source])
        defer { try? db.execute(sql: "DETACH DATABASE source") }
        return try body(db)
      }
    } catch let error as ResultsError {
      throw error
    } catch {
      throw .cannotOpen(path: source, reason: Self.message(error))
    }
  }
}
