import Foundation

extension RunRecord {
  /// The record of `run`, whose final model is `model`.
  ///
  /// - Final metrics are the last completed epoch's; `samplesPerSecond` is Σₑ rₑ·tₑ / Σₑ tₑ over
  ///   the epochs (rₑ samples/s during tₑ training seconds), i.e. samples over training time.
  /// - Layers come from the model's masks (`FanInStatistics`, `FanInStatistics.LognormalFit`);
  ///   the gradient hierarchy from the run's neuron statistics when it has them
  ///   (`LayerNeuronStatistics.hierarchy(hubFraction:)`); the equilibrium verdict from its mask
  ///   updates (`FanInTrajectory.verdicts()`).
  /// - Mask-update rows are the `FanInTrajectory` points, one per update and sparse layer.
  ///
  /// Throws when the model does not belong to the run (layer counts or widths differ) or a tag
  /// key is not an identifier.
  public init(
    run: TrainingRun, model: MLP, uuid: UUID? = nil, hubFraction: Double = 0.1,
    recordedAt: Date = Date()
  ) throws(ResultsError) {
    try Self.checkConsistency(run, model)
    for key in run.tags.keys { try RunRecord.validateTagKey(key) }
    let history = run.state.history
    self.init(
      uuid: uuid ?? run.uuid, name: run.name, method: run.method, dataset: run.datasetName,
      model: run.modelName, sizes: model.sizes, parameters: model.parameterCount,
      sparsity: model.sparsity, profile: run.profileDescription,
      profileSpecJSON: try run.profile.map { spec throws(ResultsError) in try Self.json(spec) },
      seed: run.config.seed, configJSON: try Self.json(run.config),
      status: run.isFinished ? .finished : .interrupted, psnVersion: run.psnVersion,
      startedAt: run.startedAt, recordedAt: recordedAt, wallSeconds: run.wallSeconds,
      epochsPlanned: run.config.epochs, epochsDone: run.state.epochsDone, steps: run.state.step,
      final: history.last.map(Metrics.init) ?? Metrics(),
      samplesPerSecond: run.samplesPerSecond,
      tags: run.tags,
      epochs: history.map {
        Epoch(
          epoch: $0.epoch, metrics: Metrics($0), learningRate: $0.learningRate,
          seconds: $0.trainSeconds, samplesPerSecond: $0.samplesPerSecond)
      },
      layers: Self.layers(of: model, run: run, hubFraction: hubFraction),
      maskUpdates: Self.maskUpdates(run.state.maskUpdates))
  }

  /// Tag keys are identifiers — a letter, then letters, digits or `_` — so that every tag can be
  /// a column name in `where` expressions and CSV headers without quoting.
  public static func validateTagKey(_ key: String) throws(ResultsError) {
    let ascii = key.unicodeScalars.allSatisfy(\.isASCII)
    let scalars = Array(key.unicodeScalars)
    guard ascii, let first = scalars.first, first.properties.isAlphabetic,
      scalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" })
    else { throw .invalidTagKey(key) }
  }

  private static func checkConsistency(_ run: TrainingRun, _ model: MLP) throws(ResultsError) {
    let layerCount = model.layers.count
    guard run.state.optimizerState.count == layerCount else {
      throw .mismatch(
        "run '\(run.name)' trained \(run.state.optimizerState.count) layers but the model has \(layerCount)")
    }
    for stats in run.state.neuronStatistics ?? [] {
      guard model.layers.indices.contains(stats.layer), stats.fanIns.count == model.layers[stats.layer].nOut else {
        throw .mismatch("run '\(run.name)': neuron statistics of layer \(stats.layer + 1) do not match the model")
      }
    }
    for record in run.state.maskUpdates {
      for layer in record.layers where !model.layers.indices.contains(layer.layer) {
        throw .mismatch("run '\(run.name)': a mask update names layer \(layer.layer + 1) of \(layerCount)")
      }
    }
  }

  private static func layers(of model: MLP, run: TrainingRun, hubFraction q: Double) -> [Layer] {
    let statistics = Dictionary(
      (run.state.neuronStatistics ?? []).map { ($0.layer, $0) }, uniquingKeysWith: { a, _ in a })
    let verdicts = run.state.maskUpdates.isEmpty
      ? [:]
      : Dictionary(
        FanInTrajectory(run.state.maskUpdates).verdicts().map { ($0.layer, $0) },
        uniquingKeysWith: { a, _ in a })
    return model.layers.enumerated().map { l, layer in
      let fanIns = layer.fanIns
      let stats = FanInStatistics(fanIns)
      let fit = FanInStatistics.LognormalFit(fanIns)
      let neurons = statistics[l]
      let hierarchy = neurons?.hierarchy(hubFraction: q)
      return Layer(
        layer: l + 1, nIn: layer.nIn, nOut: layer.nOut, isSparse: layer.isSparse,
        weights: layer.weightCount, density: layer.density, fanInMean: stats.mean,
        fanInStd: stats.std, fanInCV: stats.cv, fanInGini: stats.gini, fanInMin: stats.min,
        fanInMax: stats.max, lognormalMu: fit?.mu, lognormalSigma: fit?.sigma,
        hubFraction: neurons == nil ? nil : q,
        gradientMean: neurons.map { runningMean($0.gradientNorms) },
        gradientConcentration: hierarchy?.concentration,
        fanInGradientR: hierarchy?.fanInGradientCorrelation ?? nil,
        equilibriumConverged: verdicts[l]?.converged, equilibriumStep: verdicts[l]?.stableFromStep)
    }
  }

  private static func maskUpdates(_ records: [MaskUpdateRecord]) -> [MaskUpdate] {
    guard !records.isEmpty else { return [] }
    let trajectory = FanInTrajectory(records)
    return trajectory.layers.keys.sorted().flatMap { l in
      trajectory.layers[l]!.map { p in
        MaskUpdate(
          update: p.update, step: p.step, layer: l + 1,
          dropFraction: records[p.update].dropFraction, dropped: p.dropped, grown: p.grown,
          regrown: p.regrown, churn: p.churn, fanInMean: p.mean, fanInCV: p.cv,
          fanInGini: p.gini, lognormalMu: p.mu, lognormalSigma: p.sigma,
          ksToPrevious: p.ksToPrevious)
      }
    }
    .sorted { ($0.update, $0.layer) < ($1.update, $1.layer) }
  }

  /// JSON with sorted keys, so equal values give equal text.
  static func json<T: Encodable>(_ value: T) throws(ResultsError) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    do {
      return String(decoding: try encoder.encode(value), as: UTF8.self)
    } catch {
      throw .mismatch("cannot encode \(T.self) as JSON: \(error)")
    }
  }
}

extension RunRecord.Metrics {
  /// The metrics of one epoch record.
  init(_ epoch: EpochRecord) {
    self.init(
      trainLoss: epoch.trainLoss, trainAccuracy: epoch.trainAccuracy,
      validationLoss: epoch.validation?.loss, validationAccuracy: epoch.validation?.accuracy,
      testLoss: epoch.test?.loss, testAccuracy: epoch.test?.accuracy)
  }
}
