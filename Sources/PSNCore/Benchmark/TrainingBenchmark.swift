import Foundation

/// Training throughput (samples/s) of MLP configurations on one dataset, measured on real
/// training steps with evaluation switched off, and full training runs for accuracy.
///
/// Masks are built as the shell builds them by default: `profile random sparsity=s` with the
/// uniform allocation, which keeps the logit layer dense (NetworkProfileSpec), and psn's default
/// training settings (Adam, lr 3e-3, cosine schedule; docs/training.md) unless told otherwise.
public struct TrainingBenchmark: Sendable {
  /// One configuration to measure.
  public struct Configuration: Sendable, Equatable, Codable {
    public var name: String
    /// 0 is dense.
    public var sparsity: Double
    public var allocation: Allocation
    /// RigL/SET when set.
    public var maskUpdate: MaskUpdateConfig?
    /// Gather the per-neuron analysis statistics on every step (docs/analysis.md).
    public var collectStatistics: Bool

    public init(
      name: String, sparsity: Double, allocation: Allocation = .uniform,
      maskUpdate: MaskUpdateConfig? = nil, collectStatistics: Bool = false
    ) {
      self.name = name
      self.sparsity = sparsity
      self.allocation = allocation
      self.maskUpdate = maskUpdate
      self.collectStatistics = collectStatistics
    }

    /// The configurations the issues name: dense, static 90% and 99%, RigL at 90%, and static
    /// 90% with the analysis statistics collected.
    public static func named(_ name: String) -> Configuration? {
      switch name {
      case "dense": return Configuration(name: name, sparsity: 0)
      case "static90": return Configuration(name: name, sparsity: 0.9)
      case "static99": return Configuration(name: name, sparsity: 0.99)
      case "rigl90": return Configuration(name: name, sparsity: 0.9, maskUpdate: MaskUpdateConfig())
      case "rigl99": return Configuration(name: name, sparsity: 0.99, maskUpdate: MaskUpdateConfig())
      case "stats90": return Configuration(name: name, sparsity: 0.9, collectStatistics: true)
      default: return nil
      }
    }
    public static let names = ["dense", "static90", "static99", "rigl90", "rigl99", "stats90"]
  }

  public struct Result: Sendable, Equatable, Codable {
    public var name: String
    public var sparsity: Double
    /// Best round.
    public var samplesPerSecond: Double
    /// Every round, in the order measured.
    public var roundSamplesPerSecond: [Double]
    public var samplesPerRound: Int
  }

  /// Outcome of a full training run (`train`).
  public struct RunResult: Sendable, Equatable, Codable {
    public var name: String
    public var seed: UInt64
    public var epochs: Int
    /// Training samples over training seconds (evaluation excluded), all epochs.
    public var samplesPerSecond: Double
    public var trainSeconds: Double
    /// Process CPU time over the training steps (all threads), and samples per CPU second: what
    /// the run consumed, which a busy machine disturbs much less than the wall clock.
    public var cpuSeconds: Double
    public var samplesPerCPUSecond: Double
    public var testAccuracy: Double
    public var testLoss: Double
    /// Achieved sparsity over the sparse layers and the active weights per layer (nil = dense).
    public var sparsity: Double
    public var layerNNZ: [Int?]
  }

  public var sizes: [Int]
  public var batchSize: Int
  public var threads: Int
  /// Training steps timed per round; rounds alternate between configurations.
  public var steps: Int
  /// Training settings other than batch, threads, epochs and mask updates.
  public var training: TrainingConfig

  public init(sizes: [Int], batchSize: Int = 128, threads: Int = 1, steps: Int = 200, training: TrainingConfig = TrainingConfig()) {
    self.sizes = sizes
    self.batchSize = batchSize
    self.threads = threads
    self.steps = steps
    self.training = training
  }

  /// A trainer for `c` on `data`: masks from `profile random sparsity=s` (seeded by `seed`),
  /// fan-in-aware Kaiming initialisation, psn's training defaults.
  public func makeTrainer(_ c: Configuration, data: Dataset, seed: UInt64 = 1, epochs: Int) throws -> Trainer {
    var masks: [Mask?] = sizes.dropFirst().map { _ in nil }
    if c.sparsity > 0 {
      let spec = NetworkProfileSpec(
        profile: try ProfileSpec(family: .random), sparsity: c.sparsity, allocation: c.allocation,
        seed: seed)
      masks = try spec.build(sizes: sizes).masks
    }
    let model = try MLP(sizes: sizes, masks: masks, seed: seed)
    var config = training
    config.batchSize = batchSize
    config.threads = threads
    config.seed = seed
    config.epochs = epochs
    config.evaluateEachEpoch = false
    config.collectNeuronStatistics = c.collectStatistics
    config.statisticsWindowEpochs = c.collectStatistics ? epochs : 1
    config.maskUpdate = c.maskUpdate
    return try Trainer(model: model, data: data, config: config)
  }

  /// Trains `trainer` for `steps` more steps (it is built with more epochs than that).
  static func train(_ trainer: Trainer, steps: Int) throws {
    var done = 0
    try trainer.run(TrainingCallbacks(shouldStop: { done >= steps }, onBatch: { _ in done += 1 }))
  }

  /// Throughput of every configuration over `rounds` alternating rounds (A B C A B C …, so a
  /// noisy neighbour hurts all alike); each keeps its best round. Runs are long enough (1000
  /// planned epochs) never to finish, so RigL updates every ΔT steps throughout: its worst case.
  public func throughput(_ configurations: [Configuration], data: Dataset, rounds: Int = 3) throws -> [Result] {
    let trainers = try configurations.map { try makeTrainer($0, data: data, epochs: 1000) }
    for trainer in trainers { try Self.train(trainer, steps: 20) }  // warm caches and allocations
    var rates = [[Double]](repeating: [], count: configurations.count)
    for _ in 0..<rounds {
      for (k, trainer) in trainers.enumerated() {
        let t0 = ContinuousClock.now
        try Self.train(trainer, steps: steps)
        rates[k].append(Double(steps * batchSize) / (ContinuousClock.now - t0).seconds)
      }
    }
    return configurations.indices.map {
      Result(
        name: configurations[$0].name, sparsity: configurations[$0].sparsity,
        samplesPerSecond: rates[$0].max() ?? 0, roundSamplesPerSecond: rates[$0],
        samplesPerRound: steps * batchSize)
    }
  }

  /// Where each configuration's time goes, per phase and layer, over `steps` steps after a warm-up.
  /// `cpuTime`: charge this thread's CPU time (see `StepProfile`; 1 thread only).
  public func profile(_ c: Configuration, data: Dataset, cpuTime: Bool = false) throws -> StepProfile {
    let trainer = try makeTrainer(c, data: data, epochs: 1000)
    try Self.train(trainer, steps: 20)
    let profile = StepProfile(layerCount: sizes.count - 1, cpuTime: cpuTime && threads == 1)
    trainer.profile = profile
    try Self.train(trainer, steps: steps)
    return profile
  }

  /// A full run of `epochs` epochs from scratch with seed `seed`, evaluated on the test set at the end.
  public func train(_ c: Configuration, data: Dataset, seed: UInt64, epochs: Int) throws -> RunResult {
    let trainer = try makeTrainer(c, data: data, seed: seed, epochs: epochs)
    // CPU time from before the first step to after the last (the final evaluation excluded).
    var cpuStart: Double?
    var cpuEnd = 0.0
    try trainer.run(TrainingCallbacks(
      shouldStop: {
        if cpuStart == nil { cpuStart = Self.processCPUSeconds() }
        return false
      },
      onBatch: { _ in cpuEnd = Self.processCPUSeconds() }))
    let cpu = cpuEnd - (cpuStart ?? cpuEnd)
    let history = trainer.state.history
    let seconds = history.reduce(0) { $0 + $1.trainSeconds }
    let test = history.last?.test
    return RunResult(
      name: c.name, seed: seed, epochs: epochs,
      samplesPerSecond: Double(epochs * data.train.count) / max(seconds, 1e-9), trainSeconds: seconds,
      cpuSeconds: cpu, samplesPerCPUSecond: Double(epochs * data.train.count) / max(cpu, 1e-9),
      testAccuracy: test?.accuracy ?? .nan, testLoss: test?.loss ?? .nan,
      sparsity: trainer.model.sparsity, layerNNZ: trainer.model.layers.map { $0.mask?.nnz })
  }

  /// User + system CPU time of the whole process so far (every thread), in seconds.
  static func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
  }
}
