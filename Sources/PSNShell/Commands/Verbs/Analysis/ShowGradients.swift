import PSNCore

extension CommandSpec {
  /// `show gradients`: per layer, the concentration, the Pearson correlation between fan-in and G
  /// across neurons, and a scatter plot of G against fan-in (docs/analysis.md).
  static let showGradients = CommandSpec(
    "gradients", group: .analysis, summary: "per layer: concentration, fan-in–gradient correlation, and G against fan-in",
    keys: [analysisRunKey, analysisLayerKey, hubFractionKey],
    examples: ["show gradients", "show gradients layer=2 run=run4"],
    handler: { ctx in
      let (run, statistics, q, layers) = try hierarchyView(ctx)
      var out: [JSONValue] = []
      for l in layers {
        let s = statistics[l]
        let h = s.hierarchy(hubFraction: q)
        ctx.print(hierarchyLine(s, h, q: q))
        if s.isSparse {
          let points = zip(s.fanIns, s.gradientNorms).map { (Double($0), $1) }
          ctx.print(ScatterPlot(points, xName: "fan-in k_j", yName: "G_j").render(width: plotColumns(ctx)))
        }
        out.append(.obj([
          ("index", (l + 1).json), ("sparse", .bool(s.isSparse)), ("hub_fraction", q.json),
          ("concentration", h.concentration.json), ("fanin_gradient_r", h.fanInGradientCorrelation.json),
          ("fanin_gradient_p", h.fanInGradientPValue.json), ("fanins", s.fanIns.json), ("grad_norms", s.gradientNorms.json),
        ]))
      }
      return .obj([("run", run.name.json), ("layers", .array(out))])
    })
}
