/// Everything that decides how a model is trained. Defaults are psn's defaults (docs/training.md).
public struct TrainingConfig: Sendable, Equatable, Codable {
  public var epochs: Int = 5
  public var batchSize: Int = 128
  public var learningRate: Double = 3e-3
  public var optimizer = Optimizer()
  public var schedule: LearningRateSchedule = .cosine
  /// Seeds the data order (stream "shuffle") and any other randomness of the run.
  public var seed: UInt64 = 1
  /// Threads for the kernels (sparse row split and OpenBLAS).
  public var threads: Int = 2
  /// Evaluate the validation and test sets after every epoch (off in benchmarks).
  public var evaluateEachEpoch: Bool = true
  /// Gather per-neuron gradient/activity statistics (docs/analysis.md) over the last
  /// `statisticsWindowEpochs` epochs; off in benchmarks.
  public var collectNeuronStatistics: Bool = true
  public var statisticsWindowEpochs: Int = 1
  /// Dynamic sparse training (RigL / SET); nil trains with fixed masks.
  public var maskUpdate: MaskUpdateConfig? = nil

  public init() {}

  /// Checks the values a user can get wrong, with the fix in the message.
  public func validate() throws(TrainingError) {
    func bad(_ m: String) -> TrainingError { .invalidConfig(m) }
    guard epochs >= 1, epochs <= 1_000_000 else { throw bad("epochs must be between 1 and 1000000, got \(epochs)") }
    guard batchSize >= 1 else { throw bad("batch must be at least 1, got \(batchSize)") }
    guard learningRate > 0, learningRate.isFinite else { throw bad("lr must be a positive number, got \(learningRate)") }
    guard optimizer.momentum >= 0, optimizer.momentum < 1 else { throw bad("momentum must be in [0, 1), got \(optimizer.momentum)") }
    guard optimizer.weightDecay >= 0 else { throw bad("weight_decay must be >= 0, got \(optimizer.weightDecay)") }
    guard (0..<1).contains(optimizer.beta1), (0..<1).contains(optimizer.beta2) else { throw bad("beta1 and beta2 must be in [0, 1)") }
    guard threads >= 1 else { throw bad("threads must be at least 1, got \(threads)") }
    try maskUpdate?.validate()
    guard statisticsWindowEpochs >= 1, statisticsWindowEpochs <= epochs else {
      throw bad("the statistics window must be 1…\(epochs) epochs, got \(statisticsWindowEpochs)")
    }
    if case .step(let every, let gamma) = schedule {
      guard every >= 1, gamma > 0 else { throw bad("step schedule needs every >= 1 and gamma > 0") }
    }
  }
}

public enum TrainingError: Error, CustomStringConvertible, Equatable {
  case invalidConfig(String)
  case mismatch(String)
  case diverged(epoch: Int, batch: Int, loss: Double, learningRate: Double)

  public var description: String {
    switch self {
    case .invalidConfig(let m): return m
    case .mismatch(let m): return m
    case .diverged(let epoch, let batch, let loss, let lr):
      return "training diverged at epoch \(epoch), batch \(batch): loss is \(loss) (try a smaller lr than \(lr))"
    }
  }
}
