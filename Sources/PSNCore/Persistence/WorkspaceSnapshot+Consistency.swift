/// A contradiction inside a snapshot: the object it is found in, and what is wrong.
struct WorkspaceInconsistency: Error, Equatable {
  enum Kind: String, CaseIterable { case dataset, profile, model, run }
  var kind: Kind
  /// nil when the problem is a duplicate or empty name (it belongs to the manifest).
  var name: String?
  var message: String
}

extension WorkspaceSnapshot {
  /// The checks `save` runs before writing and `open` runs after reading, so that whatever is
  /// saved opens again, and whatever opens can be used without a trap: names present and unique
  /// per kind; profile masks that fit their widths; every run's model present, with optimizer
  /// moments, neuron accumulators and data order of the sizes the trainer will index.
  func checkConsistency() throws(WorkspaceInconsistency) {
    try Self.checkNames(datasets.map(\.name), .dataset)
    try Self.checkNames(profiles.map(\.name), .profile)
    try Self.checkNames(models.map(\.name), .model)
    try Self.checkNames(runs.map(\.name), .run)
    for entry in profiles { try entry.checkConsistency() }
    let models = Dictionary(
      self.models.map { ($0.name, $0.model) }, uniquingKeysWith: { a, _ in a })
    let trainCounts = Dictionary(
      datasets.map { ($0.name, $0.fingerprint.train.count) }, uniquingKeysWith: { a, _ in a })
    for run in runs {
      func fail(_ message: String) -> WorkspaceInconsistency {
        WorkspaceInconsistency(kind: .run, name: run.name, message: "run '\(run.name)': \(message)")
      }
      // A run saved without its resume state is a record of the past: its model may since
      // have been re-profiled, rebuilt with other widths, or dropped.
      let model = models[run.modelName]
      guard model != nil || !run.state.canResume else {
        throw fail("trains model '\(run.modelName)', which the workspace does not have")
      }
      do {
        if let model, run.state.canResume {
          try run.state.checkFits(
            model, modelName: run.modelName, trainCount: trainCounts[run.datasetName])
        } else {
          try run.state.checkRecords()
        }
      } catch {
        throw fail(error.message)
      }
    }
  }

  private static func checkNames(_ names: [String], _ kind: WorkspaceInconsistency.Kind)
    throws(WorkspaceInconsistency)
  {
    var seen = Set<String>()
    for name in names {
      guard !name.isEmpty else {
        throw WorkspaceInconsistency(
          kind: kind, name: nil, message: "a \(kind.rawValue) has an empty name")
      }
      guard seen.insert(name).inserted else {
        throw WorkspaceInconsistency(
          kind: kind, name: nil, message: "two \(kind.rawValue)s are named '\(name)'")
      }
    }
  }
}

extension WorkspaceSnapshot.ProfileEntry {
  /// One mask, one layer profile and one budget entry per layer, each mask of its layer's shape.
  func checkConsistency() throws(WorkspaceInconsistency) {
    func fail(_ message: String) -> WorkspaceInconsistency {
      WorkspaceInconsistency(kind: .profile, name: name, message: "profile '\(name)': \(message)")
    }
    guard sizes.count >= 2, sizes.allSatisfy({ $0 > 0 }) else {
      throw fail("widths \(sizes) are not a network (at least two, all positive)")
    }
    let layerCount = sizes.count - 1
    let counts = [profile.masks.count, profile.layers.count, profile.budget.nnz.count]
    guard counts.allSatisfy({ $0 == layerCount }) else {
      throw fail(
        "\(profile.masks.count) masks, \(profile.layers.count) layer profiles and "
          + "\(profile.budget.nnz.count) budgets for \(layerCount) layers")
    }
    for (l, mask) in profile.masks.enumerated() {
      if let mask, mask.nIn != sizes[l] || mask.nOut != sizes[l + 1] {
        throw fail(
          "the mask of layer \(l + 1) is \(mask.nOut)×\(mask.nIn), the layer is \(sizes[l + 1])×\(sizes[l])"
        )
      }
    }
  }
}

/// Why a training state cannot continue on a model.
struct StateMismatch: Error { var message: String }

extension TrainingState {
  /// Whether the trainer can resume this state on `model` without indexing out of range: one
  /// optimizer state per layer with as many moments as the layer has parameters (second moments
  /// only for Adam/AdamW), neuron accumulators one per neuron, counters in range, and a data order
  /// that is a permutation (of the `trainCount` training samples, when known).
  /// A state saved without its resume part (`canResume` false) only needs its records to fit.
  func checkFits(_ model: MLP, modelName: String, trainCount: Int?) throws(StateMismatch) {
    let named = "model '\(modelName)'"
    func fail(_ message: String) -> StateMismatch { StateMismatch(message: message) }
    guard canResume || (order.isEmpty && neuronAccumulators.isEmpty) else {
      throw fail("no optimizer state, but a sample order or neuron sums to resume with")
    }
    guard !canResume || optimizerState.count == model.layers.count else {
      throw fail(
        "optimizer state for \(optimizerState.count) layers, \(named) has \(model.layers.count)")
    }
    let second = config.optimizer.usesSecondMoment
    for (l, (state, layer)) in zip(optimizerState, model.layers).enumerated() {
      let expected = [
        ("first weight moments", state.weightM.count, layer.weightCount),
        ("second weight moments", state.weightV.count, second ? layer.weightCount : 0),
        ("first bias moments", state.biasM.count, layer.nOut),
        ("second bias moments", state.biasV.count, second ? layer.nOut : 0),
      ]
      for (what, count, needed) in expected where count != needed {
        throw fail(
          "layer \(l + 1) has \(count) \(what), \(named)'s layer needs \(needed) "
            + "(\(config.optimizer.kind.rawValue), \(layer.weightCount) weights, \(layer.nOut) biases)"
        )
      }
    }
    if !neuronAccumulators.isEmpty {
      guard neuronAccumulators.count == model.layers.count else {
        throw fail(
          "neuron accumulators for \(neuronAccumulators.count) layers, \(named) has \(model.layers.count)"
        )
      }
      for (l, (acc, layer)) in zip(neuronAccumulators, model.layers).enumerated()
      where acc.gradientNormSum.count != layer.nOut || acc.activeSamples.count != layer.nOut {
        throw fail(
          "neuron accumulators of layer \(l + 1) are not one per neuron of \(named)'s \(layer.nOut)"
        )
      }
    }
    for update in maskUpdates {
      for u in update.layers {
        guard model.layers.indices.contains(u.layer), u.fanIns.count == model.layers[u.layer].nOut
        else {
          throw fail(
            "the mask update at step \(update.step) lists \(u.fanIns.count) fan-ins for layer \(u.layer + 1), which \(named) does not have with that width"
          )
        }
      }
    }
    try checkRecords()
    if let trainCount, !order.isEmpty, order.count != trainCount {
      throw fail(
        "the sample order has \(order.count) entries, the dataset \(trainCount) training samples")
    }
  }

  /// Whether the state can be resumed on `model` (see `checkFits`).
  public func fits(_ model: MLP) -> Bool {
    (try? checkFits(model, modelName: "", trainCount: nil)) != nil
  }

  /// What must hold whatever the model: statistics arrays of one length per layer, counters
  /// that are not negative, a sample order that is a permutation and batches within it.
  func checkRecords() throws(StateMismatch) {
    func fail(_ message: String) -> StateMismatch { StateMismatch(message: message) }
    for n in neuronStatistics ?? [] {
      let counts = [
        n.gradientNorms.count, n.weightNorms.count, n.activationRates?.count ?? n.fanIns.count,
      ]
      guard counts.allSatisfy({ $0 == n.fanIns.count }) else {
        throw fail("the neuron statistics of layer \(n.layer + 1) have arrays of different lengths")
      }
    }
    guard epochsDone >= 0, batchesDone >= 0, step >= 0, epochSeen >= 0, epochCorrect >= 0 else {
      throw fail("negative counters (epochs \(epochsDone), batches \(batchesDone), step \(step))")
    }
    var seen = [Bool](repeating: false, count: order.count)
    for i in order {
      guard i >= 0, Int(i) < order.count, !seen[Int(i)] else {
        throw fail("the epoch's sample order is not a permutation of 0..<\(order.count)")
      }
      seen[Int(i)] = true
    }
    let size = max(config.batchSize, 1)
    let batches = order.count / size + (order.count % size == 0 ? 0 : 1)
    guard batchesDone == 0 || batchesDone <= batches else {
      throw fail("\(batchesDone) batches done of an epoch of \(batches)")
    }
  }
}
