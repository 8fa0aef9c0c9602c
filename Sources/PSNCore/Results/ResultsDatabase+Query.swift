import Foundation
import GRDB

extension ResultsDatabase {
  /// The stored runs, oldest first (by `started_at`, then uuid), with their tags and the
  /// requested details, optionally only those for which the SQL expression `filter` is true.
  ///
  /// `filter` is an SQLite expression over one row per run in which every `runs` column and
  /// every tag key is a column (`cv >= 1 and method = 'rigl'`). A tag reads as a number when its
  /// text is a decimal number, so `cv = 1.5` matches the tag `cv=1.5`. When a tag key is also a
  /// runs column (`seed`, `profile`), the bare name is ambiguous: write `runs.seed` or `tag.seed`.
  /// The expression runs in a read-only transaction: it cannot change the database.
  public func runs(where filter: String? = nil, details: RunDetails = []) throws(ResultsError) -> [RunRecord] {
    try read("read runs") { db in
      try selectedUUIDs(filter, db).compactMap { try RunRows.fetch($0, details: details, from: db) }
    }
  }

  /// One run with the requested details, or nil when no run has this uuid.
  public func run(_ uuid: UUID, details: RunDetails = .all) throws(ResultsError) -> RunRecord? {
    try read("read run") { db in
      try RunRows.fetch(uuid.uuidString.lowercased(), details: details, from: db)
    }
  }

  /// Every tag key in use, sorted.
  public func tagKeys() throws(ResultsError) -> [String] {
    try read("read tag keys") { db in try Self.tagKeys(db) }
  }

  /// Checks `filter` without returning runs: throws the error `runs(where:)` would throw.
  public func validateFilter(_ filter: String) throws(ResultsError) {
    _ = try read("check the filter") { db in try selectedUUIDs(filter, db) }
  }

  /// Finished runs whose tags include every pair of `tags`, e.g. to skip sweep cells that are
  /// already done when a sweep is run again after Ctrl-C.
  public func finishedRuns(taggedWith tags: [String: String]) throws(ResultsError) -> [UUID] {
    try read("find tagged runs") { db in
      var sql = "SELECT uuid FROM runs WHERE status = 'finished'"
      var arguments: [String] = []
      for (key, value) in tags.sorted(by: { $0.key < $1.key }) {
        sql += " AND EXISTS (SELECT 1 FROM run_tags t WHERE t.run = runs.uuid AND t.key = ? AND t.value = ?)"
        arguments += [key, value]
      }
      return try String.fetchAll(db, sql: sql + " ORDER BY started_at, uuid", arguments: StatementArguments(arguments))
        .compactMap(UUID.init(uuidString:))
    }
  }

  // MARK: - Filtering

  /// The uuids of the runs `filter` selects, in the order `runs(where:)` documents.
  func selectedUUIDs(_ filter: String?, _ db: Database) throws -> [String] {
    let expression = filter?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    let keys = try Self.tagKeys(db)
    let sql = Self.selection(filter: expression.isEmpty ? nil : expression, tagKeys: keys)
    do {
      return try String.fetchAll(db, sql: sql)
    } catch let error as DatabaseError where !expression.isEmpty {
      let columns = try Self.columns(of: "runs", db)
      throw ResultsError.badFilter(
        expression: expression, reason: Self.message(error),
        hint: Self.filterHint(error.message ?? "", columns: columns, tagKeys: keys))
    }
  }

  static func tagKeys(_ db: Database) throws -> [String] {
    try String.fetchAll(db, sql: "SELECT DISTINCT key FROM run_tags ORDER BY key")
  }

  /// The column names of `table`, in schema order.
  static func columns(of table: String, _ db: Database, schema: String = "main") throws -> [String] {
    try Row.fetchAll(db, sql: "PRAGMA \(schema).table_info(\(table))").map { try $0.decode(String.self, forColumn: "name") }
  }

  /// `SELECT runs.uuid FROM runs LEFT JOIN (one row per run, one column per tag key) AS tag …`.
  ///
  /// Each tag column is the tag's number when it has one, else its text, so numeric
  /// comparisons compare numbers. Keys are identifiers (`RunRecord.validateTagKey`) and are
  /// still quoted, with quotes doubled, as SQL requires of any name.
  static func selection(filter: String?, tagKeys: [String]) -> String {
    let pivot = tagKeys.map { key in
      "MAX(CASE WHEN key = \(literal(key)) THEN COALESCE(number, value) END) AS \(identifier(key))"
    }
    let tagTable = "(SELECT run AS tag_run_uuid\(pivot.map { ", " + $0 }.joined()) FROM run_tags GROUP BY run)"
    let condition = filter.map { "WHERE (\($0)\n)" } ?? ""
    return """
      SELECT runs.uuid FROM runs LEFT JOIN \(tagTable) AS tag ON tag.tag_run_uuid = runs.uuid
      \(condition) ORDER BY runs.started_at, runs.uuid
      """
  }

  /// What to suggest for SQLite's complaint about a filter.
  static func filterHint(_ message: String, columns: [String], tagKeys: [String]) -> String? {
    let known = "runs columns: \(columns.joined(separator: ", ")); tags: \(tagKeys.isEmpty ? "none" : tagKeys.joined(separator: ", "))"
    if let name = message.suffix(after: "ambiguous column name: ") {
      return "'\(name)' is both a runs column and a tag: write runs.\(name) or tag.\(name)"
    }
    if let name = message.suffix(after: "no such column: ") {
      let bare = String(name.split(separator: ".").last ?? Substring(name))
      if let guess = Spelling.closestMatch(to: bare, among: columns + tagKeys) {
        return "did you mean '\(guess)'?"
      }
      return "text values need single quotes, as in method = 'rigl'; \(known)"
    }
    return nil
  }

  /// A string literal for SQL: single quotes, with quotes inside doubled.
  static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

  /// A quoted SQL name: double quotes, with quotes inside doubled.
  static func identifier(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}

extension String {
  /// The rest of the string after `prefix` when it starts with it.
  fileprivate func suffix(after prefix: String) -> String? {
    hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
  }
}
