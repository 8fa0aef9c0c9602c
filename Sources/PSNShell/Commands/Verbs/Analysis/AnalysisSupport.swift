import PSNCore

/// What the analysis views share: their keys, how they find a run's neuron statistics (and say
/// why there are none), and which layers they show.
extension CommandSpec {
  static let analysisRunKey = KeySpec("run", .name(.run), "which run (default: the current one)")
  static let analysisModelKey = KeySpec("model", .name(.model), "which model (default: the current one)")
  static let analysisLayerKey = KeySpec("layer", .int(1...Int.max), "one layer, numbered from 1 (default: every sparse layer)")
  static let hubFractionKey = KeySpec("fraction", .double(0.000001...1), default: "0.1", "share of a layer's neurons that are hubs: the top ⌈fraction·n⌉ by fan-in")

  /// `run1 (static, lognormal cv=1.5 sparsity=0.9)`.
  static func runTitle(_ run: TrainingRun) -> String {
    "\(run.name) (\(run.method.rawValue)\(run.profileDescription.map { ", " + $0 } ?? ""))"
  }

  /// The run's per-neuron statistics, or an error that says why it has none and what to do.
  static func neuronStatistics(_ ctx: CommandContext, run given: String?) throws -> (run: TrainingRun, statistics: [LayerNeuronStatistics]) {
    let inv = ctx.invocation
    let at = inv.settings["run"]?.location ?? inv.location
    if given == nil && ctx.workspace.current[.run] == nil {
      throw ShellError("no run yet: neuron statistics are gathered while a model trains (train static epochs=5, then \(inv.commandName))", at: at)
    }
    let (_, run) = try ctx.workspace.run(given)
    guard let statistics = run.state.neuronStatistics else {
      throw ShellError(missingStatistics(run), at: at)
    }
    return (run, statistics)
  }

  /// Why `run` has no neuron statistics.
  static func missingStatistics(_ run: TrainingRun) -> String {
    if !run.config.collectNeuronStatistics {
      return "\(run.name) was trained with stats=false, so it has no neuron statistics (train again without stats=false)"
    }
    if !run.isFinished {
      return "\(run.name) stopped at epoch \(run.state.epochsDone + 1) of \(run.config.epochs), batch \(run.state.batchesDone): neuron statistics are completed when a run finishes its last epoch (resume \(run.name))"
    }
    return "\(run.name) has no neuron statistics (train again with stats=true)"
  }

  /// The 0-based layers a view shows: `layer=N` alone, else those where `include` holds (or all
  /// of them when it holds nowhere), with an error naming the valid numbers.
  static func selectedLayers(_ ctx: CommandContext, count: Int, owner: String, include: (Int) -> Bool) throws -> [Int] {
    let inv = ctx.invocation
    if let n = try inv.int("layer") {
      guard n <= count else {
        throw ShellError("layer=\(n) is out of range: \(owner) has \(count) layers (layer=1…\(count))", at: inv.settings["layer"]?.location)
      }
      return [n - 1]
    }
    let chosen = (0..<count).filter(include)
    return chosen.isEmpty ? Array(0..<count) : chosen
  }

  /// The width plots may use.
  static func plotColumns(_ ctx: CommandContext) -> Int { ctx.output.columns }

  /// `layer 2 (300→100, sparse)`.
  static func layerTitle(_ l: Int, nIn: Int, nOut: Int, sparse: Bool) -> String {
    "layer \(l + 1) (\(nIn)→\(nOut), \(sparse ? "sparse" : "dense"))"
  }
}

extension JSONValue {
  /// This object with `pairs` appended (nil values left out); other values unchanged.
  func appending(_ pairs: [(String, JSONValue?)]) -> JSONValue {
    guard case .object(let existing) = self else { return self }
    return .object(existing + pairs.compactMap { k, v in v.map { (k, $0) } })
  }
}
