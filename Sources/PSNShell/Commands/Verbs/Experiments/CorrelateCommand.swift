import PSNCore

extension CommandSpec {
  static let correlate = CommandSpec(
    "correlate", group: .experiments,
    summary: "Pearson r (with p) and Spearman ρ between two metrics over runs or over cells",
    details: """
      One point per run with both metrics, or with by=KEY,... one point per cell: the means of X
      and of Y over the cell's runs (so seed noise averages out before correlating). For the
      paper's gradient hierarchy: correlate fanin_cv@1 gradient_concentration@1 by=cv.
      p is two-sided, from t = r √((n−2)/(1−r²)) on n − 2 degrees of freedom (docs/statistics.md).
      """,
    positionals: [
      PositionalSpec("x", .text, "the first metric (e.g. fanin_cv@1)"),
      PositionalSpec("y", .text, "the second metric (e.g. gradient_concentration@1)"),
    ],
    keys: [
      KeySpec("by", .string, "comma-separated keys: correlate the cells' means instead of single runs"),
      RunSelection.sweepKey, RunSelection.whereKey,
    ],
    examples: ["correlate fanin_cv@1 gradient_concentration@1", "correlate fanin_cv@1 gradient_concentration@1 by=profile,cv sweep=all"],
    handler: { ctx in
      if RunSelection.skippedInShard(ctx) { return nil }
      let inv = ctx.invocation
      let (xWord, yWord) = (inv.positional("x")!, inv.positional("y")!)
      func metric(_ word: Invocation.Argument) throws -> RunMetric {
        do {
          return try RunMetric(parsing: word.value)
        } catch {
          throw ShellError(error.description, at: word.location)
        }
      }
      let (x, y) = (try metric(xWord), try metric(yWord))
      let selection = try RunSelection(ctx, details: x.details.union(y.details))
      let keys = try inv.string("by").map { $0.split(separator: ",").map(String.init) }
      var points: [(label: String, x: Double, y: Double, n: Int)] = []
      if let keys {
        let tx = try RunSelection.table(selection.runs, groupBy: keys, metric: x, inv, keysFrom: ["by"])
        let ty = try RunSelection.table(selection.runs, groupBy: keys, metric: y, inv, keysFrom: ["by"])
        for (cx, cy) in zip(tx.cells, ty.cells) {
          guard let mx = cx.sample.mean, let my = cy.sample.mean else { continue }
          let label = zip(keys, cx.key).compactMap { key, value in value.map { "\(key)=\($0)" } }.joined(separator: " ")
          points.append((label, mx, my, min(cx.sample.n, cy.sample.n)))
        }
      } else {
        for run in selection.runs {
          guard let vx = x.value(of: run), let vy = y.value(of: run) else { continue }
          points.append((run.name, vx, vy, 1))
        }
      }
      guard !points.isEmpty else { throw selection.noValues([x, y], at: inv.location) }
      let unit = keys == nil ? "run" : "cell"
      ctx.print("\(selection.title): \(x) against \(y) over \(points.count) \(unit)\(points.count == 1 ? "" : "s") (\(selection.database.path))")
      var table = Table([keys == nil ? "run" : "cell", x.description, y.description] + (keys == nil ? [] : ["n"]))
      for p in points { table.add([p.label, x.format(p.x), y.format(p.y)] + (keys == nil ? [] : [String(p.n)])) }
      ctx.print(table.render(indent: "  "))
      let xs = points.map(\.x), ys = points.map(\.y)
      let pearson = RunComparison.attempt { try Statistics.pearson(xs, ys) }
      let spearman = RunComparison.attempt { try Statistics.spearman(xs, ys) }
      ctx.print("  " + correlationText("Pearson r", pearson))
      ctx.print("  " + correlationText("Spearman ρ", spearman))
      if points.count >= 2 {
        ctx.print(ScatterPlot(points.map { ($0.x, $0.y) }, xName: x.description, yName: y.description, height: 10).render(width: plotColumns(ctx)))
      }
      return .obj([
        ("sweep", selection.sweep?.name.json), ("x", x.description.json), ("y", y.description.json),
        ("by", keys.map { .array($0.map { .string($0) }) }),
        ("points", .array(points.map { .obj([("label", $0.label.json), ("x", $0.x.json), ("y", $0.y.json), ("n", $0.n.json)]) })),
        ("pearson_r", (try? pearson.get())?.r.json), ("pearson_p", (try? pearson.get())?.pValue.json),
        ("spearman_rho", (try? spearman.get())?.r.json), ("spearman_p", (try? spearman.get())?.pValue.json),
      ])
    })

  /// `Pearson r = 0.931 (p = 0.002, n = 7)`, or the error that says why it is undefined.
  static func correlationText(_ name: String, _ result: Result<Correlation, StatisticsError>) -> String {
    switch result {
    case .success(let c): return "\(name) = \(Format.fixed(c.r, 3)) (p = \(pValue(c.pValue)), n = \(c.count))"
    case .failure(let e): return e.description  // it names the statistic
    }
  }
}
