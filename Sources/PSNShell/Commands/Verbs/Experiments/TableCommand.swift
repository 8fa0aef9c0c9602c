import PSNCore

extension CommandSpec {
  static let table = CommandSpec(
    "table", group: .experiments,
    summary: "a sweep's grid from the results database: per cell n, mean ± std and 95% CI of a metric",
    details: """
      Runs are grouped into cells by the values of KEY... (default: the sweep's keys, or its name
      for repeat); seeds are what varies inside a cell. cols=KEY spreads one key across the columns. baseline=VALUE adds
      each cell's difference from the cell whose first key is VALUE (at the same values of the
      other keys, or the only such cell). Definitions: docs/results.md "Tables and comparisons".
      """,
    positionals: [PositionalSpec("keys", .text, "tags (or run fields: method, profile, dataset, ...) that make a cell", optional: true, variadic: true)],
    keys: [
      KeySpec("cols", .string, "a key whose values become columns (a grid: rows × cols)"),
      RunSelection.metricKey,
      KeySpec("baseline", .string, "a value of the first key to subtract from every cell (e.g. baseline=dense)"),
      RunSelection.sweepKey, RunSelection.whereKey, RunSelection.levelKey,
    ],
    examples: ["table", "table profile baseline=dense", "table profile cols=sparsity", "table cv metric=gradient_concentration@1 sweep=all where=\"method = 'static'\""],
    handler: { ctx in
      if RunSelection.skippedInShard(ctx) { return nil }
      let inv = ctx.invocation
      let metric = try RunSelection.metric(inv)
      let selection = try RunSelection(ctx, details: metric.details)
      var keys = inv.positionals.map(\.value)
      if keys.isEmpty { keys = selection.sweep?.keys ?? [] }
      let column = try inv.string("cols")
      if let column, !keys.contains(column) { keys.append(column) }
      // A sweep over seeds alone (repeat) is one cell; every run (sweep=all) is one cell per sweep.
      if keys.isEmpty { keys = ["sweep"] }
      let rowKeys = keys.filter { $0 != column }
      let level = try inv.double("level")!
      let table = try RunSelection.table(selection.runs, groupBy: rowKeys + (column.map { [$0] } ?? []), metric: metric, level: level, inv, keysFrom: ["cols"])
      if !table.cells.isEmpty && table.cells.allSatisfy({ $0.sample.n == 0 }) {
        throw selection.noValues([metric], at: inv.settings["metric"]?.location ?? inv.location)
      }
      let baseline = try baselineMeans(table, rowKeys: rowKeys, inv)
      ctx.print("\(selection.title): \(metric) over \(selection.runs.count) run\(selection.runs.count == 1 ? "" : "s") (\(selection.database.path))")
      guard !table.cells.isEmpty else {
        ctx.print("  no runs\(selection.sweep == nil ? "" : " (sweep=all takes every run)")")
        return tableJSON(table, selection, baseline)
      }
      if let column {
        ctx.print(pivot(table, column: column, rowKeys: rowKeys, selection: selection, baseline: nil))
        if inv.has("baseline") {
          ctx.print("difference from \(rowKeys[0])=\(inv.raw("baseline")!):")
          ctx.print(pivot(table, column: column, rowKeys: rowKeys, selection: selection, baseline: baseline))
        }
      } else {
        ctx.print(long(table, baseline: baseline, label: inv.raw("baseline")))
      }
      ctx.print(footnote(table))
      return tableJSON(table, selection, baseline)
    })

  /// Each cell's baseline mean (by cell index): the cell whose first key is `baseline=` and whose
  /// other keys are the same, else the only cell with that first key; nil without `baseline=`.
  private static func baselineMeans(_ table: ResultsTable, rowKeys: [String], _ inv: Invocation) throws -> [Double?]? {
    guard let value = try inv.string("baseline") else { return nil }
    guard let first = rowKeys.first else {
      throw ShellError("baseline= needs a row key (the first key names the baseline's value)", at: inv.settings["baseline"]?.location)
    }
    let base = table.cells.filter { $0.key[0] == value }
    guard !base.isEmpty else {
      let values = Array(Set(table.cells.compactMap { $0.key[0] })).sorted()
      let hint = Spelling.closestMatch(to: value, among: values).map { "did you mean '\($0)'? " } ?? ""
      throw ShellError("baseline=\(value): no cell has \(first)=\(value) (\(hint)values: \(values.joined(separator: ", ")))", at: inv.settings["baseline"]?.location)
    }
    return table.cells.map { cell in
      let rest = Array(cell.key.dropFirst())
      let match = base.first { Array($0.key.dropFirst()) == rest } ?? (base.count == 1 ? base[0] : nil)
      return match?.sample.mean.flatMap { b in cell.sample.mean.map { $0 - b } }
    }
  }

  /// One line per cell: its keys, n, mean, std, the confidence interval (and the difference).
  private static func long(_ table: ResultsTable, baseline: [Double?]?, label: String?) -> String {
    let m = table.metric
    let level = Format.percent(table.cells.first?.sample.level ?? 0.95, digits: 0)
    let missing = table.cells.contains { $0.sample.missing > 0 }
    var headers = table.keys + ["n", "mean", "± std", "\(level) CI"]
    if let label { headers.append("Δ vs \(label)") }
    if missing { headers.append("missing") }
    var out = Table(headers, alignments: table.keys.map { _ in .left } + Array(repeating: .right, count: headers.count - table.keys.count))
    for (i, cell) in table.cells.enumerated() {
      let s = cell.sample
      var row = cell.key.map { $0 ?? "–" } + [String(s.n), m.format(s.mean), m.formatDifference(s.standardDeviation, signed: false), interval(s, m)]
      if let baseline { row.append(m.formatDifference(baseline[i])) }
      if missing { row.append(String(s.missing)) }
      out.add(row)
    }
    return out.render(indent: "  ")
  }

  /// Rows × the values of `column`: `mean ± std` per cell (or the difference from the baseline).
  private static func pivot(_ table: ResultsTable, column: String, rowKeys: [String], selection: RunSelection, baseline: [Double?]?) -> String {
    let m = table.metric
    // Column values in the core's order of cell keys (numbers numerically, missing last).
    let columns = ((try? ResultsTable(runs: selection.runs, groupBy: [column], metric: m)) ?? table).cells.map { $0.key.last! }
    var rows: [[String?]] = []
    for cell in table.cells where !rows.contains(Array(cell.key.dropLast())) { rows.append(Array(cell.key.dropLast())) }
    let typicalN = mostCommon(table.cells.map(\.sample.n))
    var out = Table(rowKeys + columns.map { "\(column)=\($0 ?? "–")" }, alignments: rowKeys.map { _ in .left } + columns.map { _ in .right })
    for row in rows {
      var line = row.map { $0 ?? "–" }
      for value in columns {
        guard let i = table.cells.firstIndex(where: { Array($0.key.dropLast()) == row && $0.key.last! == value }) else {
          line.append("")
          continue
        }
        let s = table.cells[i].sample
        var text = baseline.map { m.formatDifference($0[i]) } ?? (m.format(s.mean) + (s.standardDeviation.map { " ± " + m.formatDifference($0, signed: false) } ?? ""))
        if s.n != typicalN { text += " (n=\(s.n))" }
        line.append(text)
      }
      out.add(line)
    }
    return out.render(indent: "  ")
  }

  /// `88.31% – 88.93%`, or – when n < 2.
  static func interval(_ s: MetricSample, _ m: RunMetric) -> String {
    guard let ci = s.confidenceInterval else { return "–" }
    return "\(m.format(ci.lowerBound)) – \(m.format(ci.upperBound))"
  }

  private static func footnote(_ table: ResultsTable) -> String {
    let ns = Set(table.cells.map(\.sample.n))
    let n = ns.count == 1 ? "n = \(ns.first!) run\(ns.first! == 1 ? "" : "s") per cell" : "n = runs per cell"
    return "  \(n); ± is the sample standard deviation (n − 1); CI: the mean's Student-t interval"
  }

  private static func mostCommon(_ values: [Int]) -> Int {
    Dictionary(grouping: values, by: { $0 }).max { ($0.value.count, -$0.key) < ($1.value.count, -$1.key) }?.key ?? 0
  }

  private static func tableJSON(_ table: ResultsTable, _ selection: RunSelection, _ baseline: [Double?]?) -> JSONValue {
    .obj([
      ("sweep", selection.sweep?.name.json), ("database", selection.database.path.json),
      ("metric", table.metric.description.json), ("keys", .array(table.keys.map { .string($0) })),
      ("cells", .array(table.cells.enumerated().map { i, cell in
        let s = cell.sample
        return .obj([
          ("key", .object(zip(table.keys, cell.key).map { ($0, $1.map { .string($0) } ?? .null) })),
          ("n", s.n.json), ("mean", s.mean?.json), ("std", s.standardDeviation?.json),
          ("ci_low", s.confidenceInterval?.lowerBound.json), ("ci_high", s.confidenceInterval?.upperBound.json),
          ("missing", s.missing.json), ("difference", baseline.map { $0[i]?.json ?? .null }),
          ("seeds", .array(s.seeds.map { .int(Int(clamping: $0)) })), ("values", .array(s.values.map { .number($0) })),
        ])
      })),
    ])
  }
}
