import Foundation
import GRDB

/// The file formats `export runs to=FILE` writes, chosen by the file's extension.
public enum ResultsExportFormat: String, CaseIterable, Sendable {
  /// One row per run: every runs column, then one column per tag key.
  case csv
  /// One object per run with its tags and, by default, its epochs, layers and mask updates.
  case json

  /// The format named by `path`'s extension (`.csv`, `.json`, any case).
  public init(path: String) throws(ResultsError) {
    let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
    guard let format = ResultsExportFormat(rawValue: ext) else { throw .unsupportedExportFormat(path: path) }
    self = format
  }
}

extension ResultsDatabase {
  /// Writes the runs `filter` selects (see ``runs(where:details:)``) to `path` in the format its
  /// extension names, replacing the file atomically; returns the number of runs written.
  @discardableResult
  public func export(to path: String, where filter: String? = nil) throws(ResultsError) -> Int {
    let format = try ResultsExportFormat(path: path)
    let (text, count) = format == .csv ? try csvAndCount(where: filter) : try jsonAndCount(where: filter, details: .all)
    do {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw .failed(path: path, operation: "export", reason: "\(error.localizedDescription)")
    }
    return count
  }

  /// CSV (RFC 4180 quoting, `\n` line ends): a header, then one line per run with every runs
  /// column in schema order followed by one column per tag key in sorted order. A tag whose key
  /// is also a runs column is headed `tag.KEY`. NULL and non-finite values are empty fields;
  /// numbers are written in the shortest form that reads back to the same double.
  public func csv(where filter: String? = nil) throws(ResultsError) -> String {
    try csvAndCount(where: filter).text
  }

  /// JSON: an array with one object per run, one run per line. An object holds every runs column
  /// (`config` and `profile_spec` as nested objects), `tags` (key → text), and for each detail
  /// asked for, `epochs`, `layers` and `mask_updates` as arrays of row objects (their `run`
  /// column left out). NULL and non-finite values are `null`.
  public func json(where filter: String? = nil, details: RunDetails = .all) throws(ResultsError) -> String {
    try jsonAndCount(where: filter, details: details).text
  }

  private func csvAndCount(where filter: String?) throws(ResultsError) -> (text: String, count: Int) {
    try read("export CSV") { db in
      let uuids = try selectedUUIDs(filter, db)
      let columns = try Self.columns(of: "runs", db)
      let keys = try Self.tagKeys(db)
      let header = columns + keys.map { columns.contains($0) ? "tag.\($0)" : $0 }
      var lines = [header.map(ExportText.csvField).joined(separator: ",")]
      for uuid in uuids {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE uuid = ?", arguments: [uuid]) else { continue }
        let tags = try Self.tags(of: uuid, db)
        let fields = row.databaseValues.map(ExportText.csv) + keys.map { ExportText.csvField(tags[$0] ?? "") }
        lines.append(fields.joined(separator: ","))
      }
      return (lines.joined(separator: "\n") + "\n", uuids.count)
    }
  }

  private func jsonAndCount(where filter: String?, details: RunDetails) throws(ResultsError) -> (text: String, count: Int) {
    try read("export JSON") { db in
      let uuids = try selectedUUIDs(filter, db)
      let children: [(RunDetails, String, String)] = [
        (.epochs, "epochs", "epoch"), (.layers, "layers", "layer"),
        (.maskUpdates, "mask_updates", "update_index, layer"),
      ]
      var objects: [String] = []
      for uuid in uuids {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE uuid = ?", arguments: [uuid]) else { continue }
        var members = ExportText.jsonMembers(row, nested: ["config", "profile_spec"])
        let tags = try Self.tags(of: uuid, db)
        members.append(
          "\"tags\":{" + tags.keys.sorted().map { ExportText.jsonString($0) + ":" + ExportText.jsonString(tags[$0]!) }
            .joined(separator: ",") + "}")
        for (detail, table, order) in children where details.contains(detail) {
          let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table) WHERE run = ? ORDER BY \(order)", arguments: [uuid])
          let items = rows.map { "{" + ExportText.jsonMembers($0, skipping: ["run"]).joined(separator: ",") + "}" }
          members.append("\"\(table)\":[" + items.joined(separator: ",") + "]")
        }
        objects.append("{" + members.joined(separator: ",") + "}")
      }
      return ("[\n" + objects.joined(separator: ",\n") + (objects.isEmpty ? "" : "\n") + "]\n", uuids.count)
    }
  }

  static func tags(of uuid: String, _ db: Database) throws -> [String: String] {
    Dictionary(
      uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT key, value FROM run_tags WHERE run = ?", arguments: [uuid])
        .map { (try $0.decode(String.self, forColumn: "key"), try $0.decode(String.self, forColumn: "value")) })
  }
}

/// Text forms of SQLite values for CSV and JSON.
enum ExportText {
  /// A number as Swift writes it: the shortest text that reads back to the same double
  /// (`0.85`, `3.0`, `1e-05`), which is also valid JSON.
  static func number(_ value: DatabaseValue) -> String? {
    switch value.storage {
    case .int64(let i): return String(i)
    case .double(let d): return d.isFinite ? "\(d)" : nil
    default: return nil
    }
  }

  static func csv(_ value: DatabaseValue) -> String {
    switch value.storage {
    case .null: return ""
    case .int64, .double: return number(value) ?? ""
    case .string(let s): return csvField(s)
    case .blob(let data): return data.base64EncodedString()
    }
  }

  /// Quoted when it holds a comma, a quote or a line break, with quotes doubled (RFC 4180).
  static func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  static func json(_ value: DatabaseValue) -> String {
    switch value.storage {
    case .null: return "null"
    case .int64, .double: return number(value) ?? "null"
    case .string(let s): return jsonString(s)
    case .blob(let data): return jsonString(data.base64EncodedString())
    }
  }

  /// `"name":value` for every column of `row`, in order; `nested` columns hold JSON text that is
  /// embedded as it is (when it parses), `skipping` columns are left out.
  static func jsonMembers(_ row: Row, nested: Set<String> = [], skipping: Set<String> = []) -> [String] {
    zip(row.columnNames, row.databaseValues).compactMap { name, value in
      if skipping.contains(name) { return nil }
      var text = json(value)
      if nested.contains(name), case .string(let s) = value.storage,
        (try? JSONSerialization.jsonObject(with: Data(s.utf8))) != nil
      {
        text = s
      }
      return jsonString(name) + ":" + text
    }
  }

  /// A JSON string: quotes, backslashes and control characters escaped.
  static func jsonString(_ text: String) -> String {
    // Most text (names, numbers, dates) needs no escape: skip the per-character pass.
    guard text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
      return "\"" + text + "\""
    }
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
