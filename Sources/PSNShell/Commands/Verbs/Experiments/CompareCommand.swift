import PSNCore

extension CommandSpec {
  static let compare = CommandSpec(
    "compare", group: .experiments,
    summary: "two groups of runs over seeds: mean ± std, difference, Welch's t-test, Cohen's d",
    details: """
      A and B are two values of the key by= (default: the sweep's only key): compare eq erk
      by=init compares the runs tagged init=eq with those tagged init=erk. The difference is
      mean A − mean B; Welch's t-test gives the two-sided p, Cohen's d and Hedges' g use the
      pooled standard deviation, and when both groups ran the same seeds the paired t-test on
      the per-seed differences is added (docs/statistics.md).
      """,
    positionals: [
      PositionalSpec("a", .text, "the first group: a value of the by= key"),
      PositionalSpec("b", .text, "the second group"),
    ],
    keys: [
      KeySpec("by", .string, "the key whose values name the groups (default: the sweep's key, when it has one besides the seed)"),
      RunSelection.metricKey, RunSelection.sweepKey, RunSelection.whereKey, RunSelection.levelKey,
    ],
    examples: ["compare eq erk by=init", "compare lognormal random by=profile where=\"sparsity = 0.9\"", "compare lognormal dense metric=test_loss"],
    handler: { ctx in
      if RunSelection.skippedInShard(ctx) { return nil }
      let inv = ctx.invocation
      let metric = try RunSelection.metric(inv)
      let selection = try RunSelection(ctx, details: metric.details)
      let key = try groupKey(inv, selection)
      let (a, b) = (inv.positional("a")!, inv.positional("b")!)
      let values = Array(Set(selection.runs.compactMap { $0.label(key) })).sorted()
      func group(_ word: Invocation.Argument) throws -> [RunRecord] {
        let runs = selection.runs.filter { $0.label(key) == word.value }
        guard !runs.isEmpty else {
          let hint = Spelling.closestMatch(to: word.value, among: values).map { "did you mean '\($0)'? " } ?? ""
          throw ShellError("no runs with \(key)=\(word.value) in \(selection.title) (\(hint)values of \(key): \(values.isEmpty ? "none" : values.joined(separator: ", ")))", at: word.location)
        }
        return runs
      }
      let level = try inv.double("level")!
      let comparison = try RunComparison(try group(a), try group(b), metric: metric, level: level)
      if comparison.a.n == 0 && comparison.b.n == 0 {
        throw selection.noValues([metric], at: inv.settings["metric"]?.location ?? inv.location)
      }
      let m = metric
      ctx.print("\(selection.title): \(metric), \(key)=\(a.value) against \(key)=\(b.value) (\(selection.database.path))")
      var table = Table([key, "n", "mean", "± std", "\(Format.percent(level, digits: 0)) CI", "seeds"], alignments: [.left, .right, .right, .right, .right, .left])
      for (name, s) in [(a.value, comparison.a), (b.value, comparison.b)] {
        table.add([name, String(s.n), m.format(s.mean), m.formatDifference(s.standardDeviation, signed: false), interval(s, m), seedList(s.seeds)])
      }
      ctx.print(table.render(indent: "  "))
      ctx.print("  difference \(a.value) − \(b.value): \(m.formatDifference(comparison.difference))")
      ctx.print("  " + testLine("Welch's t-test", comparison.welch))
      switch (comparison.cohensD, comparison.hedgesG) {
      case (.success(let d), .success(let g)):
        ctx.print("  Cohen's d = \(Format.fixed(d, 3)), Hedges' g = \(Format.fixed(g, 3)) (pooled standard deviation)")
      case (.failure(let e), _), (_, .failure(let e)):
        ctx.print("  Cohen's d, Hedges' g: \(e)")
      }
      if let paired = comparison.paired {
        ctx.print("  " + testLine("paired t-test over the \(comparison.a.n) shared seeds", paired))
      } else {
        ctx.print("  (no paired test: the groups did not run the same seeds once each)")
      }
      func sample(_ s: MetricSample) -> JSONValue {
        .obj([
          ("n", s.n.json), ("mean", s.mean?.json), ("std", s.standardDeviation?.json),
          ("ci_low", s.confidenceInterval?.lowerBound.json), ("ci_high", s.confidenceInterval?.upperBound.json),
          ("missing", s.missing.json), ("seeds", .array(s.seeds.map { .int(Int(clamping: $0)) })),
          ("values", .array(s.values.map { .number($0) })),
        ])
      }
      return .obj([
        ("sweep", selection.sweep?.name.json), ("metric", metric.description.json), ("by", key.json),
        ("a", a.value.json), ("b", b.value.json), ("a_sample", sample(comparison.a)), ("b_sample", sample(comparison.b)),
        ("difference", comparison.difference?.json),
        ("welch_t", (try? comparison.welch.get())?.t.json), ("welch_df", (try? comparison.welch.get())?.degreesOfFreedom.json),
        ("welch_p", (try? comparison.welch.get())?.pValue.json),
        ("cohens_d", (try? comparison.cohensD.get())?.json), ("hedges_g", (try? comparison.hedgesG.get())?.json),
        ("paired_t", (try? comparison.paired?.get())?.t.json), ("paired_p", (try? comparison.paired?.get())?.pValue.json),
      ])
    })

  /// `by=`, else the selected sweep's single key.
  private static func groupKey(_ inv: Invocation, _ selection: RunSelection) throws -> String {
    if let key = try inv.string("by") { return key }
    let keys = selection.sweep?.keys ?? []
    guard keys.count == 1 else {
      let why = keys.isEmpty ? "\(selection.title) has no sweep keys" : "\(selection.title) has keys \(keys.joined(separator: ", "))"
      throw ShellError("compare needs by=KEY, the key whose values name the groups (\(why))", at: inv.location)
    }
    return keys[0]
  }

  /// `NAME: t = 2.31, ν = 17.4, p = 0.036`, or the error that says why the test is undefined.
  static func testLine(_ name: String, _ result: Result<TTestResult, StatisticsError>) -> String {
    switch result {
    case .success(let t): return "\(name): t = \(Format.fixed(t.t, 3)), ν = \(Format.fixed(t.degreesOfFreedom, 1)), p = \(pValue(t.pValue))"
    case .failure(let e): return e.description  // it names the test
    }
  }

  /// `1–10`, `1, 3, 5`.
  static func seedList(_ seeds: [UInt64]) -> String {
    guard let first = seeds.first, let last = seeds.last else { return "–" }
    if seeds.count > 2, seeds == Array(first...last) { return "\(first)–\(last)" }
    return seeds.map(String.init).joined(separator: ", ")
  }
}
