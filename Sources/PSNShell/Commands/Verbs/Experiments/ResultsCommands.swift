import Foundation
import PSNCore

extension CommandSpec {
  static let results = CommandSpec(
    "results", group: .experiments,
    summary: "the results database: where it is and what it holds, or attach FILE to keep every run there",
    details: """
      Every run that finishes is stored in the results database at once. Until a file is
      attached it is a file of this session in the temporary directory (save copies it into the
      save, open brings it back). results FILE.db attaches FILE (created if missing; the runs
      stored so far are copied in); so do psn sweep --db FILE and PSN_RESULTS=FILE.
      The file is SQLite: sqlite3 FILE.db reads it (schema: docs/results.md).
      """,
    positionals: [PositionalSpec("file", .path, "the database file to attach", optional: true)],
    examples: ["results", "results runs.db"],
    handler: { ctx in
      let session = ctx.interpreter.results
      if let file = ctx.invocation.positional("file") {
        let path = ctx.interpreter.resolvePath(file.value)
        let attached: (database: ResultsDatabase, copied: Int)
        do {
          attached = try session.attach(path)
        } catch {
          throw ShellError(error, at: file.location)
        }
        let count = try attached.database.runCount()
        ctx.print("results: \(path), \(count) run\(count == 1 ? "" : "s")\(attached.copied > 0 ? " (\(attached.copied) copied from this session)" : "")")
        return .obj([("database", path.json), ("runs", count.json), ("copied", attached.copied.json)])
      }
      let db = try session.open(ctx.interpreter)
      let runs = try db.runs()
      let health = try db.integrityCheck()
      ctx.print("results: \(session.description)")
      ctx.print("  \(runs.count) run\(runs.count == 1 ? "" : "s"); integrity: \(health.isOK ? "ok" : health.problems.joined(separator: "; "))")
      let sweeps = RunSelection.sweeps(in: runs)
      if !sweeps.isEmpty {
        var table = Table(["sweep", "keys", "runs", "cells"], alignments: [.left, .left, .right, .right])
        for s in sweeps {
          let members = runs.filter { $0.tags["sweep"] == s.name }
          let cells = Set(members.map { run in s.keys.map { run.tags[$0] ?? "" } + [run.tags["seed"] ?? ""] }).count
          table.add([s.name, s.keys.isEmpty ? "(seeds)" : s.keys.joined(separator: ", "), String(members.count), String(cells)])
        }
        ctx.print(table.render(indent: "  "))
      }
      return .obj([
        ("database", db.path.json), ("temporary", .bool(session.isTemporary)), ("runs", runs.count.json),
        ("integrity_ok", .bool(health.isOK)), ("sweeps", .array(sweeps.map { .string($0.name) })),
      ])
    })

  static let merge = CommandSpec(
    "merge", group: .experiments,
    summary: "copy into the results database every run of other results databases (e.g. a sweep's shards)",
    details: """
      Runs are matched by uuid, so merging a database twice adds nothing. Every source is checked
      first (a psn results database of this schema, not damaged); if one is not, nothing is
      merged. psn merge --into FILE DB... does the same from the command line (docs/results.md).
      """,
    positionals: [PositionalSpec("databases", .path, "results databases to merge in", variadic: true)],
    examples: ["merge shard-1.sqlite shard-2.sqlite"],
    handler: { ctx in
      let db = try ctx.interpreter.results.open(ctx.interpreter)
      let sources = ctx.invocation.positionals.map { ctx.interpreter.resolvePath($0.value) }
      let report: MergeReport
      do {
        report = try db.merge(from: sources)
      } catch {
        throw ShellError(error, at: ctx.invocation.location)
      }
      for s in report.sources { ctx.print("merged \(s.path): \(s.added) run\(s.added == 1 ? "" : "s") added, \(s.duplicates) already there") }
      ctx.print("results: \(db.path), \(try db.runCount()) runs")
      return mergeJSON(report, into: db.path)
    })

  static func mergeJSON(_ report: MergeReport, into path: String) -> JSONValue {
    .obj([
      ("database", path.json), ("added", report.added.json), ("duplicates", report.duplicates.json),
      ("sources", .array(report.sources.map { .obj([("path", $0.path.json), ("added", $0.added.json), ("duplicates", $0.duplicates.json)]) })),
    ])
  }

  static let export = CommandSpec(
    "export", group: .experiments,
    summary: "write runs of the results database to a CSV or JSON file",
    subcommands: [
      CommandSpec(
        "runs", group: .experiments,
        summary: "one row (CSV) or object (JSON) per run; the format follows the file's extension",
        details: "CSV: every runs column, then one column per tag. JSON: every column, the tags, and the epochs, layers and mask updates of each run (docs/results.md \"Export\").",
        keys: [
          KeySpec("to", .path, "the file to write: FILE.csv or FILE.json (replaced atomically)"),
          KeySpec("sweep", .string, "only this sweep's runs (default: every run)"),
          RunSelection.whereKey,
        ],
        handler: { ctx in
          if RunSelection.skippedInShard(ctx) { return nil }
          let inv = ctx.invocation
          guard let to = try inv.string("to") else {
            throw ShellError("export runs needs to=FILE.csv or to=FILE.json", at: inv.location)
          }
          let db = try ctx.interpreter.results.open(ctx.interpreter)
          var conditions = try inv.string("where").map { ["(\($0)\n)"] } ?? []
          if let sweep = try inv.string("sweep") {
            guard try db.tagKeys().contains("sweep") else {
              throw ShellError("no runs of sweep '\(sweep)' in \(db.path) (no run of a sweep is stored)", at: inv.settings["sweep"]?.location)
            }
            conditions.append("tag.sweep = '\(sweep.replacingOccurrences(of: "'", with: "''"))'")
          }
          let path = ctx.interpreter.resolvePath(to)
          let count: Int
          do {
            count = try db.export(to: path, where: conditions.isEmpty ? nil : conditions.joined(separator: " AND "))
          } catch {
            throw ShellError(error, at: inv.settings["where"]?.location ?? inv.settings["to"]?.location)
          }
          ctx.print("exported \(count) run\(count == 1 ? "" : "s") to \(path)")
          return .obj([("file", path.json), ("runs", count.json)])
        }),
    ],
    subcommandNoun: "export",
    examples: ["export runs to=results.csv", "export runs to=runs.json where=\"method = 'rigl'\""])
}
