import PSNCore

extension CommandSpec {
  static let show = CommandSpec(
    "show", group: .workspace, summary: "describe the model, the data, a run, or any object by name",
    details: "show NAME describes any workspace object; the words below show one view of the current objects.",
    positionals: [PositionalSpec("name", .name(nil), "an object in the workspace", optional: true)],
    subcommands: showViews,
    examples: ["show model", "show data", "show run1"],
    handler: { ctx in
      guard let name = ctx.invocation.positional("name") else {
        throw ShellError("show needs a view or a name: \(showViews.map(\.name).joined(separator: ", ")), or an object (ls lists them)", at: ctx.invocation.location)
      }
      guard let object = ctx.workspace[name.value] else {
        let views = showViews.map(\.name)
        if let view = Spelling.closestMatch(to: name.value, among: views) {
          throw ShellError("show has no view or object '\(name.value)' (did you mean '\(view)'?)", at: name.location)
        }
        let objects = ctx.workspace.names.isEmpty ? "the workspace is empty" : "objects: " + ctx.workspace.names.joined(separator: ", ")
        throw ShellError("show has no view or object '\(name.value)' (views: \(views.joined(separator: ", ")); \(objects))", at: name.location)
      }
      switch object {
      case .dataset(let d): return describeDataset(name.value, d, ctx)
      case .model(let m): return describeModel(name.value, m, ctx)
      case .run(let r): return describeRun(r, ctx)
      case .profile(let p): return describeProfile(name.value, p, ctx)
      }
    })

  /// The views `show WORD` offers.
  static let showViews: [CommandSpec] = [showModel, showData, showRun] + analysisShowCommands

  static let showModel = CommandSpec(
    "model", group: .workspace, summary: "the current model: architecture, masks, parameters",
    keys: [KeySpec("model", .name(.model), "which model (default: the current one)")],
    handler: { ctx in
      let (name, m) = try ctx.workspace.model(try ctx.invocation.string("model"))
      return describeModel(name, m, ctx)
    })

  static let showData = CommandSpec(
    "data", group: .workspace, summary: "the current dataset: splits, features, classes, source",
    keys: [KeySpec("data", .name(.dataset), "which dataset (default: the current one)")],
    handler: { ctx in
      let (name, d) = try ctx.workspace.dataset(try ctx.invocation.string("data"))
      return describeDataset(name, d, ctx)
    })

  static let showRun = CommandSpec(
    "run", group: .workspace, summary: "the current run: settings and per-epoch history",
    keys: [KeySpec("run", .name(.run), "which run (default: the current one)")],
    handler: { ctx in
      let (_, r) = try ctx.workspace.run(try ctx.invocation.string("run"))
      return describeRun(r, ctx)
    })

  static func describeModel(_ name: String, _ m: ModelObject, _ ctx: CommandContext) -> JSONValue {
    let model = m.model
    let kind = model.layers.contains(where: \.isSparse) ? "sparse, sparsity \(Format.fixed(model.sparsity, 4)) (\(m.profileDescription ?? "masked"))" : "dense"
    ctx.print("\(name): \(describe(model)), \(kind), \(model.parameterCount) parameters, seed \(m.seed)" + (m.datasetName.map { ", for \($0)" } ?? "") + (m.lastRun.map { ", last trained by \($0)" } ?? ""))
    var table = Table(["layer", "n_in", "n_out", "kind", "weights", "density", "fan-in CV"])
    for (l, layer) in model.layers.enumerated() {
      table.add([
        String(l + 1), String(layer.nIn), String(layer.nOut), layer.isSparse ? "sparse" : "dense",
        String(layer.weightCount), Format.fixed(layer.density, 4),
        layer.isSparse ? Format.fixed(FanInStatistics(layer.fanIns).cv, 3) : "–",
      ])
    }
    ctx.print(table.render(indent: "  "))
    return modelJSON(name, m)
  }

  static func describeDataset(_ name: String, _ d: DatasetObject, _ ctx: CommandContext) -> JSONValue {
    let data = d.data
    let val = data.validation.map { ", \($0.count) validation" } ?? ""
    ctx.print("\(name): \(data.train.count) train\(val), \(data.test.count) test; \(data.featureCount) features" + (data.imageShape.map { " (\($0.rows)×\($0.cols) images)" } ?? "") + ", \(data.classCount) classes")
    ctx.print("  from \(data.source)")
    if let names = data.classNames {
      ctx.print("  classes: " + names.enumerated().map { "\($0) \($1)" }.joined(separator: ", "))
    }
    return datasetJSON(name, data)
  }

  static func describeRun(_ r: TrainingRun, _ ctx: CommandContext) -> JSONValue {
    let c = r.config
    let status = r.isFinished ? "finished" : "interrupted at epoch \(r.state.epochsDone + 1), batch \(r.state.batchesDone) (resume \(r.name))"
    ctx.print("\(r.name): \(r.method.rawValue) training of \(r.modelName) on \(r.datasetName), \(status)")
    if let p = r.profileDescription { ctx.print("  masks from: \(p)") }
    var settings = "  \(c.epochs) epochs, batch \(c.batchSize), \(c.optimizer.kind.rawValue) lr \(Format.number(c.learningRate)) \(c.schedule.name), seed \(c.seed)"
    if let u = c.maskUpdate { settings += "; mask updates every \(u.interval) steps, alpha \(Format.number(u.alpha)), tend \(Format.number(u.endFraction)), grow \(u.growth.rawValue)" }
    ctx.print(settings)
    if !r.tags.isEmpty { ctx.print("  tags: " + r.tags.keys.sorted().map { "\($0)=\(r.tags[$0]!)" }.joined(separator: " ")) }
    var table = Table(["epoch", "train loss", "train acc", "val acc", "test loss", "test acc", "lr", "samples/s"])
    for e in r.state.history {
      table.add([
        String(e.epoch), Format.fixed(e.trainLoss, 4), Format.percent(e.trainAccuracy), Format.percent(e.validation?.accuracy),
        Format.fixed(e.test?.loss, 4), Format.percent(e.test?.accuracy), String(format: "%.2e", e.learningRate), Format.si(e.samplesPerSecond),
      ])
    }
    if !r.state.history.isEmpty { ctx.print(table.render(indent: "  ")) }
    let model = ctx.workspace[r.modelName]?.model
    return runJSON(r, sparsity: model?.lastRun == r.name ? model?.model.sparsity : nil)
  }

  static func describeProfile(_ name: String, _ p: ProfileObject, _ ctx: CommandContext) -> JSONValue {
    ctx.print("\(name): \(p.description), built for \(p.sizes.map(String.init).joined(separator: "-")), sparsity \(Format.fixed(p.profile.sparsity, 4))")
    let built = p.profile.masks.enumerated().map { l, mask in Layer(nIn: p.sizes[l], nOut: p.sizes[l + 1], mask: mask) }
    ctx.print(layerTable(built, profiles: p.profile.layers))
    let layers = built.enumerated().map { l, layer in fanInJSON(l, layer, profile: p.profile.layers[l]) }
    return .obj([("profile", name.json), ("description", p.description.json), ("sizes", p.sizes.json), ("sparsity", p.profile.sparsity.json), ("layers", .array(layers))])
  }
}
