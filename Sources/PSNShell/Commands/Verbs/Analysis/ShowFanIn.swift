import Foundation
import PSNCore

extension CommandSpec {
  /// `show fanin`: per layer n_in, n_out, density and the fan-in mean, CV, Gini, min, max, with a
  /// histogram (docs/profiles.md §8 defines the statistics and the bins).
  static let showFanIn = CommandSpec(
    "fanin", group: .analysis, summary: "fan-in statistics and a histogram for every layer",
    keys: [
      analysisModelKey,
      KeySpec("profile", .name(.profile), "show a profile's masks instead of a model's"),
      KeySpec("layer", .int(1...Int.max), "one layer, numbered from 1 (default: every layer)"),
      KeySpec("bins", .int(1...200), default: "20", "at most this many histogram bins (integer bins of equal width)"),
    ],
    examples: ["show fanin", "show fanin layer=1 bins=40", "show fanin profile=lognormal"],
    handler: { ctx in
      let inv = ctx.invocation
      let source = try fanInSource(ctx)
      let layers = try selectedLayers(ctx, count: source.layers.count, owner: source.name, include: { _ in true })
      let bins = try inv.int("bins")!
      ctx.print("\(source.name): \(source.description)")
      var out: [JSONValue] = []
      for l in layers {
        let layer = source.layers[l]
        ctx.print(layerLine(l, layer, profile: source.profiles?[l]))
        var json = fanInJSON(l, layer, profile: source.profiles?[l])
        if layer.isSparse {
          let histogram = FanInStatistics.Histogram(layer.fanIns, binCount: bins)
          let plot = HistogramPlot(
            histogram.bins.map { (histogram.width == 1 ? "\($0.lower)" : "\($0.lower)–\($0.upper)", $0.count) },
            labelName: "fan-in", countName: "neurons")
          ctx.print(plot.render(width: plotColumns(ctx)))
          json = json.appending([
            ("histogram", .array(histogram.bins.map { .obj([("lower", $0.lower.json), ("upper", $0.upper.json), ("count", $0.count.json)]) })),
          ])
        }
        out.append(json)
      }
      return .obj([("source", source.name.json), ("description", oneLine(source.description).json), ("layers", .array(out))])
    })

  /// The layers `show fanin` and `show profile` describe: a profile's masks (profile=) or a
  /// model's (model=, else the current model), and a description of them (a second line, when
  /// there is one, says where a model's masks came from).
  static func fanInSource(_ ctx: CommandContext) throws -> (name: String, description: String, layers: [Layer], profiles: [LayerProfile?]?) {
    let inv = ctx.invocation
    if let name = try inv.string("profile") {
      if inv.has("model") {
        throw ShellError("give model= or profile=, not both", at: inv.settings["profile"]?.location)
      }
      let (_, p) = try ctx.workspace.profile(name)
      let layers = p.profile.masks.enumerated().map { l, mask in Layer(nIn: p.sizes[l], nOut: p.sizes[l + 1], mask: mask) }
      return (name, "profile \(p.description), for \(p.sizes.map(String.init).joined(separator: "-"))", layers, p.profile.layers.map { $0 })
    }
    let (name, m) = try ctx.workspace.model(try inv.string("model"))
    guard m.model.layers.contains(where: \.isSparse) else { return (name, "model \(describe(m.model)), dense", m.model.layers, nil) }
    var origin = "masks: " + (m.profileDescription ?? "changed by training")
    if let runName = m.lastRun, let run = ctx.workspace[runName]?.run, run.method.updatesMasks {
      origin += ", then moved by \(run.method.rawValue) in \(runName)"
    }
    return (name, "model \(describe(m.model)), sparsity \(Format.fixed(m.model.sparsity, 4))\n  \(origin)", m.model.layers, nil)
  }

  /// A description for JSON: its lines joined with "; ".
  static func oneLine(_ text: String) -> String {
    text.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "; ")
  }
}
