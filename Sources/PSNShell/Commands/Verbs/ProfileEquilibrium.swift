import PSNCore

extension CommandSpec {
  /// `profile equilibrium from=RUN`: lognormal masks matched, layer by layer, to the fan-ins a RigL
  /// run ended with (docs/rigl.md "Equilibrium"): each sparse layer keeps the run's active count
  /// and gets lognormal-quantile fan-ins with the maximum-likelihood σ of the run's final fan-ins.
  static let profileEquilibrium = CommandSpec(
    "equilibrium", group: .model,
    summary: "lognormal masks matched layer by layer to where a RigL run's fan-ins ended",
    keys: [KeySpec("from", .name(.run), "the RigL or SET run whose final masks to match (default: the current run)")],
    examples: ["profile equilibrium from=run1 as=eq"],
    handler: { ctx in
      let inv = ctx.invocation
      let (runName, run) = try ctx.workspace.run(try inv.string("from"))
      guard run.method.updatesMasks, let last = run.state.maskUpdates.last else {
        throw ShellError("\(runName) is a \(run.method.rawValue) run: its masks never moved, so it has no equilibrium (use a train rigl run)", at: inv.settings["from"]?.location ?? inv.location)
      }
      let (modelName, modelObject) = try currentOrDefaultModel(ctx, named: try inv.string("model"))
      let sizes = modelObject.model.sizes
      // The run's last mask update holds every sparse layer's final fan-ins; they must fit this
      // model layer by layer (same depth, same widths, fan-ins within n_in).
      let finalFanIns = (0..<sizes.count - 1).map { l in last.layers.first { $0.layer == l }?.fanIns }
      let fits = run.state.optimizerState.count == sizes.count - 1
        && finalFanIns.indices.allSatisfy { l in
          finalFanIns[l].map { $0.count == sizes[l + 1] && $0.allSatisfy { $0 <= sizes[l] } } ?? true
        }
      guard fits else {
        throw ShellError("\(runName) trained a different architecture than \(modelName) (\(describe(modelObject.model))); build a model of the same widths first")
      }
      let seed = try ctx.seed()
      let network = try NetworkProfileSpec.equilibrium(
        matchingFanIns: finalFanIns, shapes: (0..<sizes.count - 1).map { (sizes[$0], sizes[$0 + 1]) }, seed: seed)
      let built = try network.build(sizes: sizes)
      let name = try inv.string("as") ?? ctx.workspace.uniqueName("equilibrium")
      let json = try install(built, network: network, description: "equilibrium from=\(runName)", as: name, on: (modelName, modelObject), ctx)
      return .obj([("family", "equilibrium".json), ("from", runName.json)] + json)
    })
}
