import PSNCore

extension CommandSpec {
  /// `show profile`: each sparse layer's fan-in k_j drawn against neuron index j — the profile as
  /// the masks realise it (sorted placement gives the family's shape, shuffled a scatter).
  static let showProfileCurve = CommandSpec(
    "profile", group: .analysis, summary: "the per-neuron fan-in curve of every sparse layer",
    details: "order=sorted draws the fan-ins from largest to smallest, whatever the placement: the shape of the distribution.",
    keys: [
      analysisModelKey,
      KeySpec("profile", .name(.profile), "show a profile's masks instead of a model's"),
      analysisLayerKey,
      KeySpec("order", .choice(["neuron", "sorted"]), default: "neuron", "x axis: neuron index, or rank by fan-in (largest first)"),
    ],
    examples: ["show profile", "show profile layer=2 order=sorted"],
    handler: { ctx in
      let inv = ctx.invocation
      let source = try fanInSource(ctx)
      let layers = try selectedLayers(ctx, count: source.layers.count, owner: source.name, include: { source.layers[$0].isSparse })
      let sorted = try inv.string("order") == "sorted"
      ctx.print("\(source.name): \(source.description)")
      var out: [JSONValue] = []
      for l in layers {
        let layer = source.layers[l]
        ctx.print(layerLine(l, layer, profile: source.profiles?[l]))
        let k = sorted ? layer.fanIns.sorted(by: >) : layer.fanIns
        let chart = LineChart(
          [.init("fan-in k_j", glyph: "●", points: k.enumerated().map { (Double($0 + 1), Double($1)) })],
          xName: sorted ? "rank by fan-in" : "neuron j", yName: "fan-in")
        if layer.isSparse { ctx.print(chart.render(width: plotColumns(ctx))) }
        out.append(.obj([
          ("index", (l + 1).json), ("n_in", layer.nIn.json), ("n_out", layer.nOut.json), ("sparse", .bool(layer.isSparse)),
          ("order", (sorted ? "sorted" : "neuron").json), ("fanins", k.json),
        ]))
      }
      return .obj([("source", source.name.json), ("description", oneLine(source.description).json), ("layers", .array(out))])
    })
}
