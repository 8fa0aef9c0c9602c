import PSNCore

extension CommandSpec {
  /// `show rigl`: a dynamic sparse run's fan-in trajectory per sparse layer — CV and fitted σ
  /// against mask update, and a table of what each update recorded (docs/rigl.md "What each
  /// update records").
  static let showRigL = CommandSpec(
    "rigl", group: .analysis, summary: "a RigL/SET run's fan-in trajectory: CV and lognormal σ per update",
    keys: [
      analysisRunKey, analysisLayerKey,
      KeySpec("rows", .int(0...100_000), default: "10", "table rows per layer: evenly spaced updates, the first and last always (0: no table)"),
    ],
    examples: ["show rigl", "show rigl layer=1 rows=40", "show rigl run=run2 --json"],
    handler: { ctx in
      let inv = ctx.invocation
      let (run, trajectory) = try fanInTrajectory(ctx, run: try inv.string("run"))
      let sparse = trajectory.layers.keys.sorted()
      let layers = try selectedLayers(ctx, count: run.state.optimizerState.count, owner: run.name, include: { trajectory.layers[$0] != nil })
      ctx.print(runTitle(run))
      ctx.print("  " + updatesDescription(run, trajectory))
      let rows = try inv.int("rows")!
      var out: [JSONValue] = []
      for l in layers {
        guard let points = trajectory.layers[l], let first = points.first, let last = points.last else {
          throw ShellError("layer \(l + 1) of \(run.name) is dense: its mask never changed (sparse layers: \(sparse.map { String($0 + 1) }.joined(separator: ", ")))", at: inv.settings["layer"]?.location)
        }
        let start = FanInStatistics(trajectory.fanIns(update: 0, layer: l))
        ctx.print("layer \(l + 1) (\(start.count) neurons, \(start.total) active weights, fan-in mean \(Format.fixed(start.mean, 2)))")
        ctx.print("  from update 0 to \(last.update): CV \(Format.fixed(first.cv, 3)) → \(Format.fixed(last.cv, 3)), σ \(Format.fixed(first.sigma, 3)) → \(Format.fixed(last.sigma, 3)), Gini \(Format.fixed(first.gini, 3)) → \(Format.fixed(last.gini, 3))")
        let chart = LineChart(
          [
            .init("CV", glyph: "●", points: points.map { (Double($0.update), $0.cv) }),
            .init("σ (lognormal fit)", glyph: "○", points: points.map { (Double($0.update), $0.sigma) }),
          ], xName: "mask update", yName: "CV, σ")
        ctx.print(chart.render(width: plotColumns(ctx)))
        if rows > 0 { ctx.print(trajectoryTable(points, rows: rows).render(indent: "  ")) }
        out.append(.obj([("index", (l + 1).json), ("points", .array(points.map(trajectoryPointJSON)))]))
      }
      return .obj([("run", run.name.json), ("method", run.method.rawValue.json), ("updates", (run.state.maskUpdates.count - 1).json), ("layers", .array(out))])
    })

  /// A dynamic sparse run and its fan-in trajectory, or an error that says why there is none.
  static func fanInTrajectory(_ ctx: CommandContext, run given: String?) throws -> (run: TrainingRun, trajectory: FanInTrajectory) {
    let inv = ctx.invocation
    let at = inv.settings["run"]?.location ?? inv.location
    if given == nil && ctx.workspace.current[.run] == nil {
      throw ShellError("no run yet: a fan-in trajectory is recorded by dynamic sparse training (train rigl epochs=10, then \(inv.commandName))", at: at)
    }
    let (_, run) = try ctx.workspace.run(given)
    guard run.method.updatesMasks, !run.state.maskUpdates.isEmpty else {
      throw ShellError("\(run.name) is a \(run.method.rawValue) run: its masks never moved, so it has no fan-in trajectory (train rigl or train set records one)", at: at)
    }
    if !run.isFinished {
      ctx.note("(\(run.name) stopped at epoch \(run.state.epochsDone + 1) of \(run.config.epochs): the trajectory so far; resume \(run.name) to finish it)")
    }
    return (run, FanInTrajectory(run.state.maskUpdates))
  }

  /// `35 mask updates every 100 steps, until step 3517 of 4690` (update 0, the starting masks,
  /// is not counted).
  static func updatesDescription(_ run: TrainingRun, _ t: FanInTrajectory) -> String {
    let n = run.state.maskUpdates.count - 1
    let updates = "\(n) mask update\(n == 1 ? "" : "s")"
    guard let u = run.config.maskUpdate else { return updates }
    // A finished run has taken all its steps, so T_end is known exactly.
    let end = run.isFinished ? "step \(u.endStep(totalSteps: run.state.step)) of \(run.state.step)" : "\(Format.percent(u.endFraction, digits: 0)) of training"
    return "\(updates) every \(u.interval) steps, until \(end)"
  }

  /// Evenly spaced rows of the trajectory (first and last always). The fan-in mean K/n never
  /// changes under RigL, so it is in the layer's heading, not here; every update drops and grows
  /// the same number n ("replaced").
  static func trajectoryTable(_ points: [FanInTrajectory.Point], rows: Int) -> Table {
    var table = Table(["update", "step", "CV", "Gini", "μ", "σ", "KS prev", "churn", "replaced", "regrown"])
    let n = points.count
    let picked = n <= rows ? Array(0..<n) : Array(Set((0..<rows).map { ($0 * (n - 1)) / max(rows - 1, 1) })).sorted()
    for i in picked {
      let p = points[i]
      let first = p.update == 0
      table.add([
        String(p.update), String(p.step), Format.fixed(p.cv, 3), Format.fixed(p.gini, 3),
        Format.fixed(p.mu, 3), Format.fixed(p.sigma, 3), Format.fixed(p.ksToPrevious, 3),
        first ? "–" : Format.percent(p.churn), first ? "–" : String(p.dropped), first ? "–" : String(p.regrown),
      ])
    }
    return table
  }

  static func trajectoryPointJSON(_ p: FanInTrajectory.Point) -> JSONValue {
    .obj([
      ("update", p.update.json), ("step", p.step.json), ("fanin_mean", p.mean.json), ("fanin_cv", p.cv.json),
      ("fanin_gini", p.gini.json), ("mu", p.mu.json), ("sigma", p.sigma.json), ("ks_to_previous", p.ksToPrevious.json),
      ("churn", p.churn.json), ("dropped", p.dropped.json), ("grown", p.grown.json), ("regrown", p.regrown.json),
    ])
  }
}
