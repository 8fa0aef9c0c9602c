import Foundation

/// A training run as saved: `runs/FILE.json` holds ``Record`` (the run's own fields, the config,
/// the counters, the history and the scalar parts of mask updates and neuron statistics),
/// `runs/FILE.safetensors` its arrays:
///
/// - `order` I32 [N or 0]: the current epoch's sample order (empty between epochs).
/// - `shuffle_random.state` U64 [4]: the xoshiro256** state of the data-order generator.
/// - `optimizer.l.weight_m`, `.weight_v` F32 [K_l or O·I] (CSR order of the model's mask, like its
///   weights; `weight_v` is empty for SGD), `optimizer.l.bias_m`, `.bias_v` F32 [O or 0].
/// - `mask_updates.l.fan_ins` I64 [U_l, O_l]: layer l's fan-ins after each of the U_l mask updates
///   that touched it (update 0 is the starting mask), in the order of `state.maskUpdates`.
/// - `neuron_accumulators.i.gradient_norm_sum` F64 [O], `.active_samples` I64 [O].
/// - `neuron_statistics.i.fan_ins` I64 [O], `.gradient_norms`, `.weight_norms` F64 [O],
///   `.activation_rates` F64 [O] (absent for the logit layer).
enum RunArchive {
  static let format = "psn-run"

  struct Record: Codable {
    var method: TrainingMethod
    var modelName: String
    var datasetName: String
    var profileDescription: String?
    var profile: NetworkProfileSpec?
    var tags: [String: String]
    var wallSeconds: Double
    /// Seconds since 2001-01-01 00:00 UTC (Foundation's reference date), exact.
    var startedAt: Date
    var psnVersion: String
    /// Absent in saves that predate it (a new identity is given on open).
    var uuid: UUID?
    var state: State
  }

  /// `TrainingState` without its arrays.
  struct State: Codable {
    var config: TrainingConfig
    var epochsDone: Int
    var batchesDone: Int
    var step: Int
    var epochLossSum: Double
    var epochCorrect: Int
    var epochSeen: Int
    var epochSeconds: Double
    var optimizerLayers: Int
    var history: [EpochRecord]
    var maskUpdates: [MaskUpdate]
    var neuronAccumulators: [Window]
    var neuronStatistics: [Statistics]?
  }

  /// `MaskUpdateRecord` without the fan-ins.
  struct MaskUpdate: Codable {
    struct Layer: Codable {
      var layer: Int
      var dropped: Int
      var grown: Int
      var regrown: Int
      var churn: Double
    }
    var step: Int
    var dropFraction: Double
    var layers: [Layer]
  }

  /// `NeuronAccumulator` without its per-neuron sums.
  struct Window: Codable {
    var steps: Int
    var samples: Int
  }

  /// `LayerNeuronStatistics` without its per-neuron arrays.
  struct Statistics: Codable {
    var layer: Int
    var steps: Int
    var samples: Int
    var isSparse: Bool
    var hasActivationRates: Bool
  }

  // MARK: Writing

  static func encode(_ run: TrainingRun) -> (Record, [String: SafeTensor]) {
    let s = run.state
    var tensors: [String: SafeTensor] = [
      "order": SafeTensor(s.order),
      "shuffle_random.state": SafeTensor([
        s.shuffleRandom.state.0, s.shuffleRandom.state.1, s.shuffleRandom.state.2,
        s.shuffleRandom.state.3,
      ]),
    ]
    for (l, o) in s.optimizerState.enumerated() {
      tensors["optimizer.\(l).weight_m"] = SafeTensor(o.weightM)
      tensors["optimizer.\(l).weight_v"] = SafeTensor(o.weightV)
      tensors["optimizer.\(l).bias_m"] = SafeTensor(o.biasM)
      tensors["optimizer.\(l).bias_v"] = SafeTensor(o.biasV)
    }
    for (l, rows) in fanInRows(s.maskUpdates) {
      let width = rows.first?.count ?? 0
      tensors["mask_updates.\(l).fan_ins"] = SafeTensor(
        rows.flatMap { $0.map(Int64.init) }, shape: [rows.count, width])
    }
    for (i, a) in s.neuronAccumulators.enumerated() {
      tensors["neuron_accumulators.\(i).gradient_norm_sum"] = SafeTensor(a.gradientNormSum)
      tensors["neuron_accumulators.\(i).active_samples"] = SafeTensor(
        a.activeSamples.map(Int64.init))
    }
    for (i, n) in (s.neuronStatistics ?? []).enumerated() {
      tensors["neuron_statistics.\(i).fan_ins"] = SafeTensor(n.fanIns.map(Int64.init))
      tensors["neuron_statistics.\(i).gradient_norms"] = SafeTensor(n.gradientNorms)
      tensors["neuron_statistics.\(i).weight_norms"] = SafeTensor(n.weightNorms)
      if let rates = n.activationRates {
        tensors["neuron_statistics.\(i).activation_rates"] = SafeTensor(rates)
      }
    }
    let state = State(
      config: s.config, epochsDone: s.epochsDone, batchesDone: s.batchesDone, step: s.step,
      epochLossSum: s.epochLossSum, epochCorrect: s.epochCorrect, epochSeen: s.epochSeen,
      epochSeconds: s.epochSeconds, optimizerLayers: s.optimizerState.count, history: s.history,
      maskUpdates: s.maskUpdates.map { u in
        MaskUpdate(
          step: u.step, dropFraction: u.dropFraction,
          layers: u.layers.map {
            .init(
              layer: $0.layer, dropped: $0.dropped, grown: $0.grown, regrown: $0.regrown,
              churn: $0.churn)
          })
      },
      neuronAccumulators: s.neuronAccumulators.map { Window(steps: $0.steps, samples: $0.samples) },
      neuronStatistics: s.neuronStatistics?.map {
        Statistics(
          layer: $0.layer, steps: $0.steps, samples: $0.samples, isSparse: $0.isSparse,
          hasActivationRates: $0.activationRates != nil)
      })
    let record = Record(
      method: run.method, modelName: run.modelName, datasetName: run.datasetName,
      profileDescription: run.profileDescription, profile: run.profile, tags: run.tags,
      wallSeconds: run.wallSeconds, startedAt: run.startedAt, psnVersion: run.psnVersion,
      uuid: run.uuid, state: state)
    return (record, tensors)
  }

  /// Each layer's fan-in rows over the updates that list it, in update order. A layer whose
  /// rows have different widths cannot be one matrix; that never happens in a run (a layer's
  /// width is fixed) and `encode`'s caller has checked the run against its model.
  private static func fanInRows(_ updates: [MaskUpdateRecord]) -> [Int: [[Int]]] {
    var rows: [Int: [[Int]]] = [:]
    for update in updates {
      for layer in update.layers { rows[layer.layer, default: []].append(layer.fanIns) }
    }
    return rows
  }

  // MARK: Reading

  /// The run, given the model it trains (`model`, already read) for the shapes of its state.
  static func decode(
    _ record: Record, _ tensors: ArchiveTensors, name: String, json: String, model: MLP?
  ) throws(WorkspaceArchiveError) -> TrainingRun {
    func fail(_ message: String) -> WorkspaceArchiveError {
      WorkspaceArchiveError(file: json, problem: .inconsistent("run '\(name)': \(message)"))
    }
    let r = record.state
    do {
      try r.config.validate()
    } catch {
      throw fail("invalid training config: \(error)")
    }
    // A run saved without its resume state (no optimizer layers) needs no model: it is a record
    // of the past (`TrainingState.withoutResumeState`).
    if r.optimizerLayers > 0 {
      guard let model else {
        throw fail("trains model '\(record.modelName)', which the workspace does not have")
      }
      guard r.optimizerLayers == model.layers.count else {
        throw fail(
          "optimizer state for \(r.optimizerLayers) layers, model '\(record.modelName)' has \(model.layers.count)"
        )
      }
    }

    var s = TrainingState(config: r.config, optimizerState: [])
    s.epochsDone = r.epochsDone
    s.batchesDone = r.batchesDone
    s.step = r.step
    s.epochLossSum = r.epochLossSum
    s.epochCorrect = r.epochCorrect
    s.epochSeen = r.epochSeen
    s.epochSeconds = r.epochSeconds
    s.history = r.history
    s.order = try tensors.vector("order", as: Int32.self)
    let random = try tensors.values("shuffle_random.state", as: UInt64.self, shape: [4])
    guard random.contains(where: { $0 != 0 }) else {
      throw tensors.inconsistent(
        "tensor 'shuffle_random.state' is all zero, which xoshiro256** never reaches")
    }
    s.shuffleRandom = PSNRandom(state: (random[0], random[1], random[2], random[3]))
    s.optimizerState = []
    for l in 0..<r.optimizerLayers {
      s.optimizerState.append(
        LayerOptimizerState(
          weightM: try tensors.vector("optimizer.\(l).weight_m", as: Float.self),
          weightV: try tensors.vector("optimizer.\(l).weight_v", as: Float.self),
          biasM: try tensors.vector("optimizer.\(l).bias_m", as: Float.self),
          biasV: try tensors.vector("optimizer.\(l).bias_v", as: Float.self)))
    }
    s.maskUpdates = try maskUpdates(r.maskUpdates, tensors)
    s.neuronAccumulators = []
    for (i, window) in r.neuronAccumulators.enumerated() {
      var a = NeuronAccumulator(neurons: 0)
      a.gradientNormSum = try tensors.vector(
        "neuron_accumulators.\(i).gradient_norm_sum", as: Double.self)
      a.activeSamples = try tensors.values(
        "neuron_accumulators.\(i).active_samples", as: Int64.self, shape: [a.gradientNormSum.count]
      ).map { Int($0) }
      a.steps = window.steps
      a.samples = window.samples
      s.neuronAccumulators.append(a)
    }
    if let statistics = r.neuronStatistics {
      var all: [LayerNeuronStatistics] = []
      for (i, n) in statistics.enumerated() {
        let prefix = "neuron_statistics.\(i)"
        let fanIns = try tensors.vector("\(prefix).fan_ins", as: Int64.self).map { Int($0) }
        let shape = [fanIns.count]
        all.append(
          LayerNeuronStatistics(
            layer: n.layer, fanIns: fanIns,
            gradientNorms: try tensors.values(
              "\(prefix).gradient_norms", as: Double.self, shape: shape),
            weightNorms: try tensors.values(
              "\(prefix).weight_norms", as: Double.self, shape: shape),
            activationRates: n.hasActivationRates
              ? try tensors.values("\(prefix).activation_rates", as: Double.self, shape: shape)
              : nil,
            steps: n.steps, samples: n.samples, isSparse: n.isSparse))
      }
      s.neuronStatistics = all
    }
    return TrainingRun(
      name: name, method: record.method, modelName: record.modelName,
      datasetName: record.datasetName, profileDescription: record.profileDescription,
      profile: record.profile, tags: record.tags, state: s, wallSeconds: record.wallSeconds,
      startedAt: record.startedAt, psnVersion: record.psnVersion, uuid: record.uuid ?? UUID())
  }

  /// The update records with each layer's fan-ins taken, row by row in update order, from its
  /// `mask_updates.l.fan_ins` matrix, which must have exactly one row per update listing it.
  private static func maskUpdates(_ records: [MaskUpdate], _ tensors: ArchiveTensors)
    throws(WorkspaceArchiveError) -> [MaskUpdateRecord]
  {
    var expectedRows: [Int: Int] = [:]
    for record in records {
      for layer in record.layers { expectedRows[layer.layer, default: 0] += 1 }
    }
    var matrices: [Int: (values: [Int64], width: Int)] = [:]
    for (l, rows) in expectedRows {
      let name = "mask_updates.\(l).fan_ins"
      let (values, shape) = try tensors.values(name, as: Int64.self, rank: 2)
      guard shape[0] == rows else {
        throw tensors.inconsistent(
          "tensor '\(name)' has \(shape[0]) rows, but \(rows) mask updates list layer \(l + 1)")
      }
      matrices[l] = (values, shape[1])
    }
    var nextRow: [Int: Int] = [:]
    return records.map { record in
      MaskUpdateRecord(
        step: record.step, dropFraction: record.dropFraction,
        layers: record.layers.map { u in
          let (values, width) = matrices[u.layer]!
          let row = nextRow[u.layer, default: 0]
          nextRow[u.layer] = row + 1
          return LayerMaskUpdate(
            layer: u.layer, dropped: u.dropped, grown: u.grown, regrown: u.regrown,
            churn: u.churn, fanIns: values[(row * width)..<((row + 1) * width)].map { Int($0) })
        })
    }
  }
}
