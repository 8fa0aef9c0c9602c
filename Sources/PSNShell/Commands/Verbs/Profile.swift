import PSNCore

extension CommandSpec {
  /// Keys of every profile: how the budget is set and split, and where the masks go.
  private static let networkProfileKeys: [KeySpec] = [
    KeySpec("sparsity", .double(nil), default: "0.9", "fraction of weights removed over the sparse layers, in [0, 1)"),
    KeySpec("alloc", .choice(Allocation.allCases.map(\.rawValue)), default: "uniform", "how the budget is split across layers: uniform density, or ERK"),
    KeySpec("dense", .layers, "layers kept dense, outside the budget (default: the logit layer for uniform, none for erk)"),
    KeySpec("layers", .layers, default: "all", "layers the profile shapes; the other sparse layers get the random baseline"),
    KeySpec("seed", .int(0...Int.max), "seeds hub placement, input selection and the new weights (default: $seed, else 1)"),
    KeySpec("model", .name(.model), "the model whose masks are replaced (default: the current one; made if none)"),
    KeySpec("as", .name(.profile), "name of the profile in the workspace (default: the family's name)"),
  ]

  /// Keys of one family, derived from the family table in PSNCore (ProfileFamily).
  private static func familyKeys(_ family: ProfileFamily) -> [KeySpec] {
    var keys: [KeySpec] = []
    if family.acceptsCV {
      let solve = family.shapeParameter.map { "reached by solving for \($0.name)" } ?? "only the most even fan-ins"
      keys.append(KeySpec("cv", .double(nil), "target fan-in CV in [0, 10], \(solve)"))
    }
    for p in family.parameters {
      keys.append(KeySpec(p.name, .double(nil), default: Format.number(p.defaultValue), "\(p.help) (\(p.domain))"))
    }
    if family.hasShape {
      keys.append(KeySpec("placement", .choice(HubPlacement.allCases.map(\.rawValue)), default: "sorted", "which neurons get the hub fan-ins"))
      keys.append(KeySpec("inputs", .choice(InputSelection.allCases.map(\.rawValue)), default: "random", "which inputs each neuron reads"))
    }
    return keys
  }

  private static func familyCommand(_ family: ProfileFamily) -> CommandSpec {
    CommandSpec(
      family.rawValue, group: .model, summary: family.summary, details: family.formula,
      positionals: family == .expr ? [PositionalSpec("expression", .text, "a shape g(x) over x in [0, 1], e.g. \"1 + 4*x^2\"")] : [],
      keys: familyKeys(family),
      handler: { ctx in try applyProfile(family, ctx) })
  }

  static let profile = CommandSpec(
    "profile", group: .model,
    summary: "give the current model's sparse layers masks whose fan-ins follow a profile",
    details: """
      The layer budgets come from sparsity= and alloc=; the profile shares each layer's budget
      among its neurons (docs/profiles.md). The model gets the new masks and freshly initialised
      weights (seed=); with no model yet, model mlp hidden=300,100 is made first.
      Families: \(ProfileFamily.allCases.map(\.rawValue).joined(separator: ", ")), and
      equilibrium from=RUN (lognormal masks matched to where a RigL run ended).
      """,
    keys: networkProfileKeys,
    subcommands: ProfileFamily.allCases.map(familyCommand) + [profileEquilibrium], subcommandNoun: "profile family",
    examples: [
      "profile lognormal cv=1.5", "profile random sparsity=0.9", "profile power exponent=3 sparsity=0.95 alloc=erk",
      "profile expr \"1 + 4*x^2\" cv=1", "profile step cv=2 placement=shuffled seed=3",
    ])

  private static func applyProfile(_ family: ProfileFamily, _ ctx: CommandContext) throws -> JSONValue? {
    let inv = ctx.invocation
    let ownKeys = Set(family.keys)
    let settings = inv.orderedSettings.filter { ownKeys.contains($0.key!) }
    let expression = family == .expr ? inv.positional("expression") : nil
    let spec: ProfileSpec
    do {
      spec = try ProfileSpec(family: family.rawValue, settings: settings.map { ($0.key!, $0.value) }, expression: expression?.value)
    } catch {
      throw profileError(error, inv, expression: expression)
    }
    let (modelName, modelObject) = try currentOrDefaultModel(ctx, named: try inv.string("model"))
    let sparsity = family == .dense ? 0 : try inv.double("sparsity")!
    let seed = try ctx.seed()
    let allocation = try inv.choice("alloc", as: Allocation.self)!
    var network = NetworkProfileSpec(
      profile: spec, sparsity: sparsity, allocation: allocation,
      keepDense: try inv.layers("dense"),
      profiledLayers: inv.raw("layers") == "all" ? nil : try inv.layers("layers"), seed: seed)
    if family == .dense { network.keepDense = nil }
    let built: NetworkProfile
    do {
      built = try network.build(sizes: modelObject.model.sizes)
    } catch let error as BudgetError {
      let key = if case .sparsity = error { "sparsity" } else { inv.has("layers") ? "layers" : "dense" }
      throw ShellError(error.description, at: inv.settings[key]?.location ?? inv.location)
    }
    let description = profileDescription(family, inv, sparsity: family == .dense ? nil : sparsity)
    let name = try inv.string("as") ?? ctx.workspace.uniqueName(family.rawValue)
    let json = try install(built, network: network, description: description, as: name, on: (modelName, modelObject), ctx)
    if !built.budget.raisedToOnePerNeuron.isEmpty {
      ctx.note("note: layers \(built.budget.raisedToOnePerNeuron.map { String($0 + 1) }.joined(separator: ", ")) were raised to one connection per neuron, so the achieved sparsity is below \(Format.number(sparsity))")
    }
    return .obj([("family", family.rawValue.json), ("description", description.json)] + json)
  }

  /// Stores a built profile under `name` and gives the model its masks with freshly initialised
  /// weights (the network's seed); prints the summary and returns its JSON fields.
  static func install(
    _ built: NetworkProfile, network: NetworkProfileSpec, description: String, as name: String,
    on model: (name: String, object: ModelObject), _ ctx: CommandContext
  ) throws -> [(String, JSONValue?)] {
    var object = model.object
    let sizes = object.model.sizes
    object.model = try MLP(sizes: sizes, masks: built.masks, seed: network.seed)
    object.seed = network.seed
    object.profileDescription = description
    object.profileName = name
    object.profile = network
    object.lastRun = nil
    try ctx.workspace.put(.profile(ProfileObject(profile: built, sizes: sizes, description: description)), as: name)
    ctx.workspace.update(.model(object), as: model.name)
    ctx.print("\(name): \(description) → \(model.name) (\(describe(object.model))), sparsity \(Format.fixed(object.model.sparsity, 4))")
    ctx.print(layerTable(object.model.layers, profiles: built.layers))
    return [
      ("profile", name.json), ("model", model.name.json), ("sparsity", object.model.sparsity.json),
      ("layers", .array(object.model.layers.enumerated().map { l, layer in fanInJSON(l, layer, profile: built.layers[l]) })),
    ]
  }

  /// `lognormal cv=1.5 sparsity=0.9`: the family and the settings that shape the masks, as typed.
  private static func profileDescription(_ family: ProfileFamily, _ inv: Invocation, sparsity: Double?) -> String {
    var words = [family.rawValue]
    if let e = inv.spec.positionals.isEmpty ? nil : inv.positional("expression") { words.append("\"\(e.value)\"") }
    for a in inv.orderedSettings where !["as", "model", "seed", "sparsity"].contains(a.key!) {
      words.append("\(a.key!)=\(a.value)")
    }
    if let sparsity { words.append("sparsity=\(Format.number(sparsity))") }
    return words.joined(separator: " ")
  }

  /// Places a profile error at the word it is about.
  private static func profileError(_ error: ProfileError, _ inv: Invocation, expression: Invocation.Argument?) -> ShellError {
    var key: String?
    switch error {
    case .unknownKey(_, let k, _), .notANumber(let k, _), .unknownChoice(let k, _, _, _): key = k
    case .parameterOutOfDomain(_, let name, _, _): key = name
    case .cvOutOfRange: key = "cv"
    case .cvWithShapeParameter(_, let p): key = p
    case .expressionSyntax(let e):
      if let expression {
        var at = expression.location
        at.column += e.column  // the opening quote, then the expression's own column
        return ShellError("in the expression, column \(e.column): \(e.message)\n    \(e.pointer.replacingOccurrences(of: "\n", with: "\n    "))", at: at)
      }
    case .expressionValue:
      return ShellError(error.description, at: expression?.location ?? inv.location)
    default: break
    }
    return ShellError(error.description, at: key.flatMap { inv.settings[$0]?.location } ?? inv.location)
  }

  /// `layer 1  784→300  density 0.100  fan-in mean 78.4  CV 1.500  Gini 0.606  range 1–784`
  /// (or `dense`): one layer's heading in the per-layer views.
  static func layerLine(_ l: Int, _ layer: Layer, profile: LayerProfile?) -> String {
    let head = "layer \(l + 1)  \(layer.nIn)→\(layer.nOut)"
    guard let mask = layer.mask else { return head + "  dense" }
    let s = FanInStatistics(mask)
    return head + "  density \(Format.fixed(layer.density, 3))  fan-in mean \(Format.fixed(s.mean, 1))  CV \(Format.fixed(s.cv, 3))  Gini \(Format.fixed(s.gini, 3))  range \(s.min)–\(s.max)"
  }

  /// Every layer's fan-in summary as a table, with the profile parameters that made it (the
  /// shape parameter a `cv=` target was solved for).
  static func layerTable(_ layers: [Layer], profiles: [LayerProfile?]) -> String {
    var table = Table(["layer", "shape", "density", "fan-in mean", "CV", "Gini", "min", "max", "profile parameters"])
    for (l, layer) in layers.enumerated() {
      let shape = "\(layer.nIn)→\(layer.nOut)"
      guard let mask = layer.mask else {
        table.add([String(l + 1), shape, "1 (dense)", Format.fixed(Double(layer.nIn), 1), "–", "–", String(layer.nIn), String(layer.nIn), ""])
        continue
      }
      let s = FanInStatistics(mask)
      let parameters = profiles.indices.contains(l) ? profiles[l]?.parameters ?? [:] : [:]
      table.add([
        String(l + 1), shape, Format.fixed(layer.density, 4), Format.fixed(s.mean, 1), Format.fixed(s.cv, 3),
        Format.fixed(s.gini, 3), String(s.min), String(s.max),
        parameters.keys.sorted().map { "\($0)=\(Format.fixed(parameters[$0]!, 4))" }.joined(separator: " "),
      ])
    }
    return table.render(indent: "  ")
  }

  /// One layer's fan-in summary as JSON (`show fanin --json` has the same fields).
  static func fanInJSON(_ l: Int, _ layer: Layer, profile: LayerProfile? = nil) -> JSONValue {
    let s = FanInStatistics(layer.fanIns)
    return .obj([
      ("index", (l + 1).json), ("n_in", layer.nIn.json), ("n_out", layer.nOut.json),
      ("sparse", .bool(layer.isSparse)), ("density", layer.density.json),
      ("fanin_mean", s.mean.json), ("fanin_cv", s.cv.json), ("fanin_gini", s.gini.json),
      ("fanin_min", s.min.json), ("fanin_max", s.max.json),
      ("target_cv", profile?.targetCV.json),
      ("parameters", profile.map { p in .object(p.parameters.keys.sorted().map { ($0, p.parameters[$0]!.json) }) }),
    ])
  }
}
