import PSNCore

extension CommandSpec {
  /// `analyze equilibrium RUN...`: where each RigL/SET run's fan-ins started and ended, layer by
  /// layer, side by side, and how alike the final distributions are (docs/rigl.md "Comparing runs").
  static let analyzeEquilibrium = CommandSpec(
    "equilibrium", group: .analysis, summary: "RigL runs side by side: start and final fan-in CV and σ per layer, and how alike they end",
    details: "With no RUN, every RigL or SET run in the workspace is compared.",
    positionals: [PositionalSpec("runs", .name(.run), "RigL or SET runs (default: every one in the workspace)", optional: true, variadic: true)],
    keys: [KeySpec("layer", .layers, default: "all", "the layers to compare: 1, 1,2, or all")] + equilibriumCriterionKeys,
    examples: ["analyze equilibrium", "analyze equilibrium erk uniform lognormal constant layer=1"],
    handler: { ctx in
      let inv = ctx.invocation
      let criterion = try equilibriumCriterion(inv)
      let runs = try dynamicRuns(ctx)
      let trajectories = runs.map { ($0.name, FanInTrajectory($0.state.maskUpdates)) }
      let sparse = Set(trajectories.flatMap { $0.1.layers.keys }).sorted()
      let requested = try inv.layers("layer")!
      let layers = sparse.filter { requested.contains($0) }
      guard !layers.isEmpty else {
        throw ShellError("layer=\(inv.raw("layer")!) selects no sparse layer of these runs (sparse layers: \(sparse.map { String($0 + 1) }.joined(separator: ", ")))", at: inv.settings["layer"]?.location)
      }
      ctx.print("fan-in equilibrium of \(runs.count) run\(runs.count == 1 ? "" : "s"), started from:")
      for r in runs { ctx.print("  \(r.name): \(r.profileDescription ?? "–")") }
      ctx.print(criterionDescription(criterion))
      var out: [JSONValue] = []
      for l in layers {
        let comparison = EquilibriumComparison(layer: l, runs: trajectories, criterion: criterion)
        let byName = Dictionary(uniqueKeysWithValues: runs.map { ($0.name, $0) })
        ctx.print("layer \(l + 1)")
        var table = Table(["run", "start CV", "final CV", "start σ", "final σ", "converged", "test acc"])
        for e in comparison.entries {
          let run = byName[e.label]!
          table.add([
            e.label, Format.fixed(e.start.cv, 3), Format.fixed(e.final.cv, 3),
            Format.fixed(e.start.sigma, 3), Format.fixed(e.final.sigma, 3),
            e.verdict.converged ? "at \(e.verdict.stableFromUpdate)/\(e.verdict.updates)" : "no", Format.percent(run.testAccuracy),
          ])
        }
        ctx.print(table.render(indent: "  "))
        if let start = comparison.maxStartDistance, let final = comparison.maxFinalDistance {
          ctx.print("  largest KS distance between two runs' fan-ins, each divided by its mean:")
          ctx.print("  \(Format.fixed(start, 3)) at the start, \(Format.fixed(final, 3)) at the end")
        }
        out.append(.obj([
          ("index", (l + 1).json),
          ("runs", .array(comparison.entries.map { e in
            .obj([
              ("run", e.label.json), ("start_masks", byName[e.label]!.profileDescription?.json),
              ("start_cv", e.start.cv.json), ("final_cv", e.final.cv.json), ("start_sigma", e.start.sigma.json), ("final_sigma", e.final.sigma.json),
              ("final_mu", e.final.mu.json), ("converged", .bool(e.verdict.converged)), ("stable_from_update", e.verdict.stableFromUpdate.json),
              ("updates", e.verdict.updates.json), ("test_accuracy", byName[e.label]!.testAccuracy.json),
            ])
          })),
          ("max_start_ks", comparison.maxStartDistance.json), ("max_final_ks", comparison.maxFinalDistance.json),
        ]))
      }
      return .obj([("layers", .array(out))])
    })

  /// The runs named (each must be RigL or SET), or every such run in the workspace.
  private static func dynamicRuns(_ ctx: CommandContext) throws -> [TrainingRun] {
    let named = ctx.invocation.positionalValues(from: "runs")
    if named.isEmpty {
      let runs = ctx.workspace.runs.filter { $0.method.updatesMasks && !$0.state.maskUpdates.isEmpty }
      guard !runs.isEmpty else {
        throw ShellError("no RigL or SET run yet (train rigl epochs=10, or see examples/rigl-equilibrium.psn)", at: ctx.invocation.location)
      }
      return runs
    }
    return try named.map { word in
      let (_, run) = try ctx.workspace.run(word.value)
      guard run.method.updatesMasks, !run.state.maskUpdates.isEmpty else {
        throw ShellError("\(run.name) is a \(run.method.rawValue) run: its masks never moved, so it has no equilibrium (compare train rigl or train set runs)", at: word.location)
      }
      return run
    }
  }
}
