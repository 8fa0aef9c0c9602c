import PSNCore

extension CommandSpec {
  /// `show hubs`: per layer, the top hubs by fan-in with their share of the gradient, and the
  /// layer's concentration (docs/analysis.md "Hubs and concentration").
  static let showHubs = CommandSpec(
    "hubs", group: .analysis, summary: "each layer's top hubs: fan-in, gradient share, weight norm, activation rate",
    details: """
      Reads the neuron statistics a run gathered over its analysis window (train window=, stats=).
      For image data, layer 1 also draws the top hub's receptive field (field=false turns it off).
      """,
    keys: [
      analysisRunKey, analysisLayerKey,
      KeySpec("top", .int(1...100_000), default: "10", "neurons listed per layer, largest fan-in first"),
      hubFractionKey,
      KeySpec("field", .bool, default: "true", "draw the top first-layer hub's receptive field (image data)"),
    ],
    examples: ["show hubs", "show hubs layer=1 top=20", "show hubs run=run3 fraction=0.05"],
    handler: { ctx in
      let inv = ctx.invocation
      let (run, statistics, q, layers) = try hierarchyView(ctx)
      let top = try inv.int("top")!
      var out: [JSONValue] = []
      // Fan-outs come from the run's model, while it still holds the run's masks.
      let model: MLP? = if case .model(let m)? = ctx.workspace[run.modelName], m.lastRun == run.name { m.model } else { nil }
      for l in layers {
        let s = statistics[l]
        let h = s.hierarchy(hubFraction: q)
        let hubs = s.topByFanIn(top, hubFraction: q)
        let fanOuts = model.flatMap { l + 1 < $0.layers.count ? $0.layers[l + 1].fanOuts : nil }
        ctx.print(hierarchyLine(s, h, q: q))
        var table = Table(["rank", "neuron", "fan-in", "G", "share", "G/mean", "weight norm", "active", "hub"])
        for (rank, n) in hubs.enumerated() {
          table.add([
            String(rank + 1), "\(l + 1):\(n.neuron + 1)", String(n.fanIn), Format.fixed(n.gradientNorm, 5),
            Format.percent(n.gradientShare), Format.fixed(n.relativeGradient, 2), Format.fixed(n.weightNorm, 3),
            Format.percent(n.activationRate, digits: 1), n.isHub ? "yes" : "",
          ])
        }
        ctx.print(table.render(indent: "  "))
        // G = 0 with the neuron active is otherwise a puzzle: at high sparsity the next layer
        // may not read it at all.
        let cut = hubs.filter { $0.gradientNorm == 0 && fanOuts?[$0.neuron] == 0 }.map { "\(l + 1):\($0.neuron + 1)" }
        if !cut.isEmpty {
          ctx.print(wrapped(cut, lead: "  G = 0, fan-out 0: ", width: plotColumns(ctx)))
          ctx.print("    no neuron of layer \(l + 2) reads \(cut.count == 1 ? "it" : "these"), so no gradient reaches \(cut.count == 1 ? "it" : "them")")
        }
        out.append(.obj([
          ("index", (l + 1).json), ("sparse", .bool(s.isSparse)), ("neurons", s.fanIns.count.json),
          ("hub_fraction", q.json), ("hub_count", h.hubs.count.json), ("concentration", h.concentration.json),
          ("fanin_gradient_r", h.fanInGradientCorrelation.json), ("fanin_gradient_p", h.fanInGradientPValue.json),
          ("hubs", .array(hubs.map { neuronJSON($0, fanOut: fanOuts?[$0.neuron]) })),
        ]))
        if l == 0, try inv.bool("field")!, let first = hubs.first {
          try drawHubField(ctx, run: run, neuron: first.neuron)
        }
      }
      return .obj([("run", run.name.json), ("window_steps", statistics[0].steps.json), ("window_samples", statistics[0].samples.json), ("layers", .array(out))])
    })

  /// What `show hubs` and `show gradients` start from — the run's neuron statistics, the hub
  /// fraction and the layers to show — with the run's heading printed.
  static func hierarchyView(_ ctx: CommandContext) throws -> (run: TrainingRun, statistics: [LayerNeuronStatistics], q: Double, layers: [Int]) {
    let inv = ctx.invocation
    let (run, statistics) = try neuronStatistics(ctx, run: try inv.string("run"))
    let q = try inv.double("fraction")!
    let layers = try selectedLayers(ctx, count: statistics.count, owner: run.name, include: { statistics[$0].isSparse })
    ctx.print(runTitle(run))
    ctx.print("  " + windowDescription(run, statistics[0]))
    return (run, statistics, q, layers)
  }

  /// `neuron statistics over the last 2 epochs (938 steps, 120000 samples)`.
  static func windowDescription(_ run: TrainingRun, _ s: LayerNeuronStatistics) -> String {
    let epochs = run.config.statisticsWindowEpochs
    return "neuron statistics over the last \(epochs == 1 ? "epoch" : "\(epochs) epochs") (\(s.steps) steps, \(s.samples) samples)"
  }

  /// `layer 1 (300 neurons, sparse): concentration 2.310` and, below it, the hubs and the
  /// fan-in–gradient correlation.
  static func hierarchyLine(_ s: LayerNeuronStatistics, _ h: LayerHierarchy, q: Double) -> String {
    var lines = [
      "layer \(s.layer + 1) (\(s.fanIns.count) neurons, \(s.isSparse ? "sparse" : "dense")): concentration \(Format.fixed(h.concentration, 3))",
      "  hubs: top \(h.hubs.count) by fan-in (fraction \(Format.number(q)));  r(fan-in, G) "
        + (h.fanInGradientCorrelation.map { Format.fixed($0, 3) + " (p \(pValue(h.fanInGradientPValue)))" } ?? "– (fan-in or G constant)"),
    ]
    if !s.isSparse {
      lines.append("  (dense: every neuron has fan-in \(s.fanIns.first ?? 0), so the hubs are simply the first")
      lines.append("  neurons by index and the concentration says nothing about fan-in)")
    }
    return lines.joined(separator: "\n")
  }

  /// A p-value for people: `0.036`, `1.2e-09`, `< 1e-300`.
  static func pValue(_ p: Double?) -> String {
    guard let p, p.isFinite else { return "–" }
    if p == 0 { return "< 1e-300" }
    return p >= 0.001 ? Format.fixed(p, 3) : String(format: "%.1e", p)
  }

  /// `fanOut`: how many neurons of the next layer read it, null when unknown (the model has
  /// changed since the run, or this is the last layer).
  static func neuronJSON(_ n: NeuronSummary, fanOut: Int?) -> JSONValue {
    .obj([
      ("neuron", (n.neuron + 1).json), ("fanin", n.fanIn.json), ("fanout", fanOut.map(\.json) ?? .null), ("grad_norm", n.gradientNorm.json),
      ("grad_share", n.gradientShare.json), ("relative_grad", n.relativeGradient.json),
      ("fanin_rank", n.fanInRank.json), ("grad_rank", n.gradientRank.json), ("is_hub", .bool(n.isHub)),
      ("weight_norm", n.weightNorm.json), ("activation_rate", n.activationRate.json),
    ])
  }

  /// The receptive field of first-layer neuron j of the run's model, when the data are images and
  /// the model still holds the run's weights.
  private static func drawHubField(_ ctx: CommandContext, run: TrainingRun, neuron j: Int) throws {
    guard case .dataset(let d)? = ctx.workspace[run.datasetName], let image = d.data.imageShape else { return }
    guard case .model(let m)? = ctx.workspace[run.modelName], m.lastRun == run.name else {
      ctx.note("(\(run.modelName) has changed since \(run.name), so the hub's receptive field is not drawn)")
      return
    }
    let field = ReceptiveField(layer: m.model.layers[0], neuron: j, image: image)
    ctx.print("  receptive field of hub 1:\(j + 1): \(fieldSummary(field))")
    ctx.print(HeatMap(rows: field.rows, cols: field.cols, values: field.magnitudes, filled: field.inputCount).render(width: plotColumns(ctx), indent: "  "))
    ctx.print("  " + HeatMap.legend)
  }

  /// `listens to 784 of 784 pixels` and, on the next line, `weights −0.41 … 0.52: 400 > 0,
  /// 384 < 0, 0 = 0` (units of a hidden layer also say how their grid is laid out).
  static func fieldSummary(_ f: ReceptiveField) -> String {
    let what = f.isImage ? "pixels" : "units of the layer below\n  drawn on a \(f.rows)×\(f.cols) grid, unit 1 top left, row by row"
    let range = f.range.map { "\n  weights \(Format.fixed(Double($0.min), 3)) … \(Format.fixed(Double($0.max), 3)): \(f.positive) > 0, \(f.negative) < 0, \(f.connected - f.positive - f.negative) = 0" } ?? ""
    return "listens to \(f.connected) of \(f.inputCount) \(what)\(range)"
  }

  /// `items` joined by ", " after `lead`, wrapped to `width` columns with continuation lines
  /// indented like the first item.
  static func wrapped(_ items: [String], lead: String, width: Int) -> String {
    var lines: [String] = []
    var line = lead
    for (i, item) in items.enumerated() {
      let piece = item + (i < items.count - 1 ? "," : "")
      if line.count > lead.count && line.count + 1 + piece.count > width {
        lines.append(line)
        line = String(repeating: " ", count: lead.count) + piece
      } else {
        line += (line.count > lead.count ? " " : "") + piece
      }
    }
    lines.append(line)
    return lines.joined(separator: "\n")
  }
}
