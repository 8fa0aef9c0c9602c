import PSNCore

extension CommandSpec {
  /// `analyze hierarchy RUN...`: each run's fan-in CV and gradient concentration in a layer, and
  /// Pearson's r (and Spearman's ρ) between them across the runs (docs/analysis.md "Across runs").
  static let analyzeHierarchy = CommandSpec(
    "hierarchy", group: .analysis, summary: "gradient concentration against fan-in CV across runs, with Pearson r and p",
    details: """
      Correlates layer 1 by default — the layer fed by the inputs, where profiles spread fan-in over
      the widest range; layer=2 or layer=1,2 (or all) correlates other layers, each on its own.
      With no RUN, every run with neuron statistics is used. by=masks averages the runs made with
      the same masks (seeds) into one point each, and correlates those means.
      """,
    positionals: [PositionalSpec("runs", .name(.run), "the runs to compare (default: every run with neuron statistics)", optional: true, variadic: true)],
    keys: [
      KeySpec("layer", .layers, default: "1", "the layers to correlate, each separately: 1, 1,2, or all"),
      KeySpec("by", .choice(["run", "masks"]), default: "run", "one point per run, or per masks description (the mean over its runs, e.g. seeds)"),
      hubFractionKey,
    ],
    examples: ["analyze hierarchy", "analyze hierarchy run1 run2 run3 run4", "analyze hierarchy layer=all", "analyze hierarchy by=masks"],
    handler: { ctx in
      let inv = ctx.invocation
      let q = try inv.double("fraction")!
      let runs = try statisticsRuns(ctx)
      let byMasks = try inv.string("by") == "masks"
      let depth = runs.map { $0.statistics.count }.max() ?? 0
      let requested = try inv.layers("layer")!
      let layers = inv.raw("layer") == "all" ? Array(0..<depth) : requested.sorted()
      if let missing = layers.first(where: { $0 >= depth }) {
        throw ShellError("layer=\(missing + 1) is out of range: the runs have at most \(depth) layers", at: inv.settings["layer"]?.location)
      }
      var out: [JSONValue] = []
      for l in layers {
        let included = runs.filter { $0.statistics.count > l && $0.statistics[l].isSparse }
        let skipped = runs.filter { !($0.statistics.count > l && $0.statistics[l].isSparse) }.map(\.run.name)
        let across = HierarchyAcrossRuns(
          layer: l, runs: included.map { ($0.run.name, $0.statistics[l]) }, hubFraction: q,
          groups: byMasks ? included.map { masksDescription($0.run) } : nil)
        let unit = byMasks ? "\(across.groups.count) masks (\(included.count) runs)" : "\(included.count) run\(included.count == 1 ? "" : "s")"
        ctx.print("layer \(l + 1): gradient concentration against fan-in CV over \(unit)")
        ctx.print("  hubs: the top \(Format.percent(q, digits: 0)) of each layer's neurons by fan-in")
        if !skipped.isEmpty { ctx.print("  (left out, layer \(l + 1) dense or missing: \(skipped.joined(separator: ", ")))") }
        if byMasks {
          var table = Table(["masks", "runs", "fan-in CV", "concentration", "± SD"], alignments: [.left, .right, .right, .right, .right])
          for g in across.groups {
            table.add([g.name, String(g.members.count), Format.fixed(g.fanInCV, 3), Format.fixed(g.concentration, 3), Format.fixed(g.concentrationSD, 3)])
          }
          ctx.print(table.render(indent: "  "))
        } else {
          var table = Table(["run", "masks", "fan-in CV", "concentration", "r(fan-in, G)", "test acc"], alignments: [.left, .left, .right, .right, .right, .right])
          for (p, r) in zip(across.points, included) {
            table.add([
              p.label, masksDescription(r.run), Format.fixed(p.fanInCV, 3), Format.fixed(p.concentration, 3),
              Format.fixed(p.fanInGradientCorrelation, 3), Format.percent(r.run.testAccuracy),
            ])
          }
          ctx.print(table.render(indent: "  "))
        }
        ctx.print("  " + correlationLine("Pearson r", across.pearson))
        ctx.print("  " + correlationLine("Spearman ρ", across.spearman))
        if across.groups.count >= 2 {
          ctx.print(ScatterPlot(across.groups.map { ($0.fanInCV, $0.concentration) }, xName: "fan-in CV", yName: "concentration", height: 10).render(width: plotColumns(ctx)))
        }
        out.append(.obj([
          ("index", (l + 1).json), ("hub_fraction", q.json), ("by", (byMasks ? "masks" : "run").json), ("n", across.groups.count.json),
          ("runs", .array(zip(across.points, included).map { p, r in
            .obj([
              ("run", p.label.json), ("profile", r.run.profileDescription?.json), ("fanin_cv", p.fanInCV.json),
              ("concentration", p.concentration.json), ("fanin_gradient_r", p.fanInGradientCorrelation.json),
              ("test_accuracy", r.run.testAccuracy.json),
            ])
          })),
          ("groups", byMasks ? .array(across.groups.map { g in
            .obj([
              ("masks", g.name.json), ("runs", .array(g.members.map { across.points[$0].label.json })),
              ("fanin_cv", g.fanInCV.json), ("concentration", g.concentration.json), ("concentration_sd", g.concentrationSD.json),
            ])
          }) : nil),
          ("pearson_r", (try? across.pearson.get())?.r.json), ("pearson_p", (try? across.pearson.get())?.pValue.json),
          ("spearman_rho", (try? across.spearman.get())?.r.json), ("spearman_p", (try? across.spearman.get())?.pValue.json),
          ("skipped", .array(skipped.map(\.json))),
        ]))
      }
      return .obj([("layers", .array(out))])
    })

  /// How a run's starting masks were made, as written (`lognormal cv=1.5 sparsity=0.9`).
  static func masksDescription(_ run: TrainingRun) -> String { run.profileDescription ?? run.method.rawValue }

  /// `Pearson r = 0.953 (p = 0.0002, n = 8)`, or why it is undefined.
  static func correlationLine(_ name: String, _ result: Result<Correlation, StatisticsError>) -> String {
    switch result {
    case .success(let c):
      return "\(name) = \(Format.fixed(c.r, 3)) (p = \(pValue(c.pValue)), n = \(c.count))"
    case .failure(.tooFewValues(_, let needed, let got)):
      return "\(name): undefined, it needs at least \(needed) points and there \(got == 1 ? "is" : "are") \(got)"
    case .failure(.constantSeries(_, let series)):
      return "\(name): undefined, the \(series == "first" ? "fan-in CVs" : "concentrations") are all equal"
    case .failure(.nonFiniteValue):
      return "\(name): undefined, a concentration is not a number (a layer whose G are all 0)"
    case .failure(let e):
      return "\(name): undefined (\(e.description))"
    }
  }

  /// The runs named on the command line (each must have neuron statistics), or every run of the
  /// workspace that has them.
  private static func statisticsRuns(_ ctx: CommandContext) throws -> [(run: TrainingRun, statistics: [LayerNeuronStatistics])] {
    let named = ctx.invocation.positionalValues(from: "runs")
    if named.isEmpty {
      let all = ctx.workspace.runs
      let usable = all.compactMap { r in r.state.neuronStatistics.map { (r, $0) } }
      guard !usable.isEmpty else {
        throw ShellError("no run with neuron statistics yet (train a few profiles first: see examples/gradient-hierarchy.psn)", at: ctx.invocation.location)
      }
      let without = all.filter { $0.state.neuronStatistics == nil }.map(\.name)
      if !without.isEmpty { ctx.note("(left out, no neuron statistics: \(without.joined(separator: ", ")))") }
      return usable
    }
    return try named.map { word in
      let (_, run) = try ctx.workspace.run(word.value)
      guard let s = run.state.neuronStatistics else { throw ShellError(missingStatistics(run), at: word.location) }
      return (run, s)
    }
  }
}
