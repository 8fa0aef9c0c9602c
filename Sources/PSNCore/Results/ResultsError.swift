/// Why a results-database operation failed. `description` is the full user-facing message in
/// psn's `where: what (fix)` form; SQLite's own message is quoted where it has one.
public enum ResultsError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The file cannot be opened as an SQLite database (missing directory, permissions, not SQLite).
  case cannotOpen(path: String, reason: String)
  /// A database to read (a merge source) does not exist.
  case notFound(path: String)
  /// An SQLite database, but not one psn wrote (it has tables and no psn `meta`).
  case notAResultsDatabase(path: String)
  /// Written with another results schema than this psn reads.
  case schemaMismatch(path: String, found: String, expected: Int)
  /// A `where` expression SQLite rejected; `reason` is SQLite's message.
  case badFilter(expression: String, reason: String, hint: String?)
  case invalidTagKey(String)
  /// The run and the model handed in do not belong together.
  case mismatch(String)
  /// A run with this uuid is already stored.
  case duplicateRun(uuid: String, path: String)
  case mergeIntoItself(path: String)
  case unknownMetric(name: String, suggestion: String?, known: [String])
  /// A grouping key that no selected run carries, as a tag or a run field (a typo, usually).
  case unknownKey(name: String, suggestion: String?, known: [String])
  case unsupportedExportFormat(path: String)
  /// `PRAGMA quick_check` found damage, or the tables are not the ones psn created.
  case damaged(path: String, problems: String)
  case invalidConfidenceLevel(Double)
  /// Any other SQLite or file failure: what was attempted and SQLite's (or the system's) message.
  case failed(path: String, operation: String, reason: String)

  public var description: String {
    switch self {
    case .cannotOpen(let path, let reason):
      return "\(path): cannot open the results database: \(reason) (check the path and permissions)"
    case .notFound(let path):
      return "\(path): no such results database (check the path)"
    case .notAResultsDatabase(let path):
      return "\(path): an SQLite database, but not a psn results database (choose another file name)"
    case .schemaMismatch(let path, let found, let expected):
      return
        "\(path): results schema version \(found), this psn reads version \(expected) (open it with the psn that wrote it, or export it there)"
    case .badFilter(let expression, let reason, let hint):
      return
        "where=\(expression): \(reason) (\(hint ?? "write an SQL expression over the runs columns and tags, e.g. where=\"cv >= 1 and method = 'rigl'\""))"
    case .invalidTagKey(let key):
      return
        "tag '\(key)': a tag key must start with a letter and contain only letters, digits and _ (rename the key)"
    case .mismatch(let message):
      return message
    case .duplicateRun(let uuid, let path):
      return "\(path): run \(uuid) is already stored (pass replacing: true to overwrite it)"
    case .mergeIntoItself(let path):
      return "\(path): cannot merge a database into itself (name the other databases)"
    case .unknownMetric(let name, let suggestion, let known):
      let fix = suggestion.map { "did you mean '\($0)'?" } ?? "should be one of \(known.joined(separator: ", "))"
      return "metric '\(name)': unknown metric (\(fix))"
    case .unknownKey(let name, let suggestion, let known):
      let fix = suggestion.map { "did you mean '\($0)'?" } ?? "keys of these runs: \(known.joined(separator: ", "))"
      return "key '\(name)': no selected run has a value for that tag or field (\(fix))"
    case .unsupportedExportFormat(let path):
      return "export to=\(path): unknown format (the file name must end in .csv or .json)"
    case .damaged(let path, let problems):
      return
        "\(path): the database is damaged: \(problems) (restore it from a copy, or recover what is readable with sqlite3's .recover)"
    case .invalidConfidenceLevel(let level):
      return "confidence level \(level) is out of range (it must be strictly between 0 and 1, e.g. 0.95)"
    case .failed(let path, let operation, let reason):
      return "\(path): \(operation) failed: \(reason) (check free space and permissions)"
    }
  }
}
