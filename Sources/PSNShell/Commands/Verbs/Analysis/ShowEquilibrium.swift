import PSNCore

extension CommandSpec {
  private static let defaultCriterion = FanInTrajectory.Criterion()

  /// Keys that set the equilibrium criterion's tolerances (docs/rigl.md "Equilibrium").
  static let equilibriumCriterionKeys: [KeySpec] = [
    KeySpec("cv_abs", .double(0...100), default: Format.number(defaultCriterion.cvAbsolute), "CV tolerance, absolute part: |CV_u − CV_final| ≤ max(cv_abs, cv_rel·CV_final)"),
    KeySpec("cv_rel", .double(0...100), default: Format.number(defaultCriterion.cvRelative), "CV tolerance, relative part"),
    KeySpec("sigma_tol", .double(0...100), default: Format.number(defaultCriterion.sigma), "tolerance on the fitted lognormal σ: |σ_u − σ_final|"),
    KeySpec("ks_tol", .double(0...1), default: Format.number(defaultCriterion.ks), "tolerance on the Kolmogorov–Smirnov distance to the final fan-ins"),
    KeySpec("turnover", .double(0...1000), default: Format.number(defaultCriterion.minimumTurnover), "over the stable stretch the layer's connections must be replaced at least this many times (Σ churn)"),
  ]

  static func equilibriumCriterion(_ inv: Invocation) throws -> FanInTrajectory.Criterion {
    var c = FanInTrajectory.Criterion()
    c.cvAbsolute = try inv.double("cv_abs")!
    c.cvRelative = try inv.double("cv_rel")!
    c.sigma = try inv.double("sigma_tol")!
    c.ks = try inv.double("ks_tol")!
    c.minimumTurnover = try inv.double("turnover")!
    return c
  }

  /// The criterion in three lines (docs/rigl.md "Equilibrium").
  static func criterionDescription(_ c: FanInTrajectory.Criterion) -> String {
    """
    converged (docs/rigl.md): from some update u* to the last, every update has
      |CV − CV_final| ≤ max(\(Format.number(c.cvAbsolute)), \(Format.number(c.cvRelative))·CV_final), |σ − σ_final| ≤ \(Format.number(c.sigma)),
      and a Kolmogorov–Smirnov distance to the final fan-ins ≤ \(Format.number(c.ks));
      while the masks turned over at least \(Format.number(c.minimumTurnover))× (Σ churn after u*)
    """
  }

  /// `show equilibrium`: has each sparse layer's fan-in distribution stopped changing, since
  /// which update, and at what CV and σ (docs/rigl.md "Equilibrium").
  static let showEquilibrium = CommandSpec(
    "equilibrium", group: .analysis, summary: "whether a RigL run's fan-in distribution converged: when, and to what CV and σ",
    keys: [analysisRunKey, analysisLayerKey] + equilibriumCriterionKeys,
    examples: ["show equilibrium", "show equilibrium run=run2 ks_tol=0.03"],
    handler: { ctx in
      let inv = ctx.invocation
      let (run, trajectory) = try fanInTrajectory(ctx, run: try inv.string("run"))
      let criterion = try equilibriumCriterion(inv)
      let sparse = trajectory.layers.keys.sorted()
      let layers = try selectedLayers(ctx, count: run.state.optimizerState.count, owner: run.name, include: { trajectory.layers[$0] != nil })
      if let dense = layers.first(where: { trajectory.layers[$0] == nil }) {
        throw ShellError("layer \(dense + 1) of \(run.name) is dense: its mask never changed (sparse layers: \(sparse.map { String($0 + 1) }.joined(separator: ", ")))", at: inv.settings["layer"]?.location)
      }
      let verdicts = trajectory.verdicts(criterion).filter { layers.contains($0.layer) }
      ctx.print(runTitle(run))
      ctx.print("  " + updatesDescription(run, trajectory))
      ctx.print(criterionDescription(criterion))
      var table = Table(["layer", "converged", "from update", "start CV", "final CV", "start σ", "final σ"])
      for v in verdicts {
        let start = trajectory.layers[v.layer]!.first!
        table.add([
          String(v.layer + 1), v.converged ? "yes" : "no", String(v.stableFromUpdate),
          Format.fixed(start.cv, 3), Format.fixed(v.finalCV, 3), Format.fixed(start.sigma, 3), Format.fixed(v.finalSigma, 3),
        ])
      }
      ctx.print(table.render(indent: "  "))
      for v in verdicts {
        ctx.print("  " + verdictSentence(v, minimumTurnover: criterion.minimumTurnover))
      }
      let glyphs: [Character] = ["●", "○", "◆", "◇", "▲", "△"]
      let chart = LineChart(
        verdicts.enumerated().map { i, v in
          .init("layer \(v.layer + 1) CV", glyph: glyphs[i % glyphs.count], points: trajectory.layers[v.layer]!.map { (Double($0.update), $0.cv) })
        },
        xName: "mask update", yName: "fan-in CV",
        marker: verdicts.count == 1 && verdicts[0].converged ? Double(verdicts[0].stableFromUpdate) : nil)
      ctx.print(chart.render(width: plotColumns(ctx)))
      if verdicts.count == 1 && verdicts[0].converged { ctx.print("  ┊ the equilibrium starts here") }
      return .obj([
        ("run", run.name.json),
        ("criterion", .obj([
          ("cv_abs", criterion.cvAbsolute.json), ("cv_rel", criterion.cvRelative.json), ("sigma_tol", criterion.sigma.json),
          ("ks_tol", criterion.ks.json), ("turnover", criterion.minimumTurnover.json),
        ])),
        ("layers", .array(verdicts.map { v in
          .obj([
            ("index", (v.layer + 1).json), ("converged", .bool(v.converged)), ("updates", v.updates.json),
            ("stable_from_update", v.stableFromUpdate.json), ("stable_from_step", v.stableFromStep.json),
            ("stable_turnover", v.stableTurnover.json),
            ("start_cv", trajectory.layers[v.layer]!.first!.cv.json), ("final_cv", v.finalCV.json),
            ("start_sigma", trajectory.layers[v.layer]!.first!.sigma.json), ("final_sigma", v.finalSigma.json),
            ("final_mu", v.finalMu.json),
          ])
        })),
      ])
    })

  /// `layer 1 converged from update 21 of 35 (step 2100),` and `at CV 0.612, σ 0.581` below.
  static func verdictSentence(_ v: FanInTrajectory.Verdict, minimumTurnover: Double) -> String {
    let at = "CV \(Format.fixed(v.finalCV, 3)), σ \(Format.fixed(v.finalSigma, 3))"
    if v.converged {
      return "layer \(v.layer + 1) converged from update \(v.stableFromUpdate) of \(v.updates) (step \(v.stableFromStep)),\n    at \(at), its masks turning over \(Format.fixed(v.stableTurnover, 2))× meanwhile"
    }
    if v.updates < 2 {
      return "layer \(v.layer + 1) not converged: \(v.updates) update\(v.updates == 1 ? "" : "s") is too few to tell (train longer or with a smaller dt)"
    }
    return "layer \(v.layer + 1) not converged: near its final \(at) only from update\n    \(v.stableFromUpdate) of \(v.updates) on, while its masks turned over \(Format.fixed(v.stableTurnover, 2))× (needs \(Format.number(minimumTurnover))×)"
  }
}
