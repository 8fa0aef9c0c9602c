import PSNCore

extension CommandSpec {
  /// The hidden widths `model` and the implicit default model use.
  static let defaultHidden = [300, 100]

  static let model = CommandSpec(
    "model", group: .model, summary: "build a dense MLP for the current dataset and make it current",
    details: """
      The input width is the dataset's feature count and the output width its class count, so
      model mlp hidden=300,100 on Fashion-MNIST is 784-300-100-10. Weights are Kaiming-initialised
      with each neuron's own fan-in from seed= (docs/training.md). Use profile to make it sparse.
      """,
    keys: [
      KeySpec("hidden", .intList, default: defaultHidden.map(String.init).joined(separator: ","), "hidden layer widths"),
      KeySpec("seed", .int(0...Int.max), "seeds the weights (default: $seed, else 1)"),
      KeySpec("data", .name(.dataset), "the dataset it is for (default: the current one)"),
      KeySpec("as", .name(.model), "name in the workspace (default: m1, m2, ...)"),
    ],
    subcommands: [CommandSpec("mlp", group: .model, summary: "a multilayer perceptron with ReLU hidden layers", handler: { ctx in
      let inv = ctx.invocation
      let (dataName, data) = try ctx.workspace.dataset(try inv.string("data"))
      let name = try inv.string("as") ?? ctx.workspace.freshName("m")
      let object = try makeModel(hidden: try inv.intList("hidden")!, data: data.data, dataName: dataName, seed: try ctx.seed())
      try ctx.workspace.put(.model(object), as: name)
      ctx.print("\(name): \(describe(object.model)), dense, \(object.model.parameterCount) parameters, seed \(object.seed)")
      return modelJSON(name, object)
    })],
    defaultSubcommand: "mlp",
    examples: ["model mlp hidden=300,100", "model hidden=1000,1000 seed=2 as=wide"])

  static func makeModel(hidden: [Int], data: Dataset, dataName: String, seed: UInt64) throws -> ModelObject {
    let sizes = [data.featureCount] + hidden + [data.classCount]
    return ModelObject(model: try MLP(sizes: sizes, seed: seed), seed: seed, datasetName: dataName)
  }

  /// The current model, or — when there is none — a default `model mlp hidden=300,100` for the
  /// current dataset, created and announced, so `load fashion; profile lognormal cv=1.5` works.
  static func currentOrDefaultModel(_ ctx: CommandContext, named given: String?) throws -> (name: String, object: ModelObject) {
    if given != nil || ctx.workspace.current[.model] != nil { return try ctx.workspace.model(given) }
    let (dataName, data) = try ctx.workspace.dataset()
    let name = ctx.workspace.freshName("m")
    let object = try makeModel(hidden: defaultHidden, data: data.data, dataName: dataName, seed: try ctx.seed())
    try ctx.workspace.put(.model(object), as: name)
    ctx.note("(no model yet: made \(name) = model mlp hidden=\(defaultHidden.map(String.init).joined(separator: ",")), \(describe(object.model)))")
    return (name, object)
  }

  /// `784-300-100-10`.
  static func describe(_ model: MLP) -> String { model.sizes.map(String.init).joined(separator: "-") }

  static func modelJSON(_ name: String, _ m: ModelObject) -> JSONValue {
    .obj([
      ("model", name.json), ("sizes", m.model.sizes.json), ("parameters", m.model.parameterCount.json),
      ("sparsity", m.model.sparsity.json), ("density", m.model.overallDensity.json),
      ("seed", Int(m.seed).json), ("dataset", m.datasetName?.json), ("profile", m.profileDescription?.json),
      ("layers", .array(m.model.layers.enumerated().map { l, layer in
        .obj([("index", (l + 1).json), ("n_in", layer.nIn.json), ("n_out", layer.nOut.json),
              ("sparse", .bool(layer.isSparse)), ("weights", layer.weightCount.json), ("density", layer.density.json)])
      })),
    ])
  }
}
