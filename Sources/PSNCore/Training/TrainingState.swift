/// Metrics of one finished epoch.
public struct EpochRecord: Sendable, Equatable, Codable {
  /// 1-based.
  public var epoch: Int
  /// Mean training loss and accuracy over the epoch's batches, as seen while training.
  public var trainLoss: Double
  public var trainAccuracy: Double
  public var validation: Evaluation?
  public var test: Evaluation?
  /// Learning rate used by the epoch's last step.
  public var learningRate: Double
  /// Wall time spent in training steps (evaluation excluded).
  public var trainSeconds: Double
  public var samplesPerSecond: Double
}

/// Where a training run stands: everything needed to continue it exactly as if it had never
/// stopped (optimizer moments, data order, generator state, position), plus its history.
public struct TrainingState: Sendable, Equatable {
  public var config: TrainingConfig
  /// Completed epochs.
  public var epochsDone: Int = 0
  /// Completed batches of the current epoch.
  public var batchesDone: Int = 0
  /// Optimizer steps taken over the whole run (t of Adam and of the schedule).
  public var step: Int = 0
  /// The current epoch's sample order (empty before the epoch starts).
  public var order: [Int32] = []
  public var shuffleRandom: PSNRandom
  public var optimizerState: [LayerOptimizerState]
  public var history: [EpochRecord] = []
  /// Dynamic sparse training: the starting masks (step 0) and every mask update since.
  public var maskUpdates: [MaskUpdateRecord] = []
  /// Per-neuron sums over the analysis window, and the statistics once the run has finished.
  public var neuronAccumulators: [NeuronAccumulator] = []
  public var neuronStatistics: [LayerNeuronStatistics]? = nil
  /// Running sums of the epoch in progress.
  public var epochLossSum: Double = 0
  public var epochCorrect: Int = 0
  public var epochSeen: Int = 0
  public var epochSeconds: Double = 0

  public var isFinished: Bool { epochsDone >= config.epochs }

  /// Whether the state still holds what resuming needs (see `withoutResumeState`).
  public var canResume: Bool { !optimizerState.isEmpty }

  /// The state without what only continuing the run needs — optimizer moments, the epoch's
  /// sample order, the analysis window's running sums — keeping its history, mask updates and
  /// statistics. For a run that can no longer continue (finished, or its model was re-profiled
  /// or trained by another run since): its moments no longer match the model's masks, and a
  /// save must not refuse the workspace over them. The trainer refuses to resume it.
  public func withoutResumeState() -> TrainingState {
    var s = self
    s.optimizerState = []
    s.order = []
    s.neuronAccumulators = []
    return s
  }

  public init(config: TrainingConfig, model: MLP) {
    self.init(config: config, optimizerState: model.layers.map {
      LayerOptimizerState(weightCount: $0.weightCount, biasCount: $0.nOut, secondMoment: config.optimizer.usesSecondMoment)
    })
  }

  init(config: TrainingConfig, optimizerState: [LayerOptimizerState]) {
    self.config = config
    shuffleRandom = PSNRandom(seed: config.seed, stream: "shuffle")
    self.optimizerState = optimizerState
  }
}

/// How a call to `Trainer.run` ended.
public enum TrainingOutcome: Sendable, Equatable {
  case completed
  /// Stopped at a batch boundary on request; `epoch` is 1-based, `batch` the batches done in it.
  case interrupted(epoch: Int, batch: Int, of: Int)
}

/// Progress of the batch just finished, for live displays.
public struct BatchProgress: Sendable {
  public var epoch: Int
  public var epochs: Int
  public var batch: Int
  public var batches: Int
  public var loss: Double
  public var accuracy: Double
  public var samplesPerSecond: Double
  /// Estimated seconds left for the whole run (training steps only).
  public var secondsLeft: Double
}

/// Hooks the trainer calls; all optional.
public struct TrainingCallbacks {
  public var shouldStop: () -> Bool
  public var onBatch: ((BatchProgress) -> Void)?
  public var onEpoch: ((EpochRecord) -> Void)?

  public init(
    shouldStop: @escaping () -> Bool = { false }, onBatch: ((BatchProgress) -> Void)? = nil,
    onEpoch: ((EpochRecord) -> Void)? = nil
  ) {
    self.shouldStop = shouldStop
    self.onBatch = onBatch
    self.onEpoch = onEpoch
  }
}
