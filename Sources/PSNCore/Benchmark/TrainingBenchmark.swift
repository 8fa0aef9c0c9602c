/// Training throughput (samples/s) of one configuration, measured over whole epochs of real
/// training steps with evaluation switched off.
public struct TrainingBenchmark: Sendable {
  public struct Result: Sendable, Equatable, Codable {
    public var name: String
    public var sparsity: Double
    public var samplesPerSecond: Double
    public var seconds: Double
    public var samples: Int
  }

  public var sizes: [Int]
  public var batchSize: Int = 128
  public var threads: Int = 2
  /// Training steps timed per round; rounds alternate between configurations.
  public var steps: Int = 200

  public init(sizes: [Int], batchSize: Int = 128, threads: Int = 2, steps: Int = 200) {
    self.sizes = sizes
    self.batchSize = batchSize
    self.threads = threads
    self.steps = steps
  }

  /// One configuration to measure: sparsity 0 is dense; `maskUpdate` makes it RigL/SET.
  public struct Configuration: Sendable {
    public var name: String
    public var sparsity: Double
    public var allocation: Allocation
    public var maskUpdate: MaskUpdateConfig?
    public init(name: String, sparsity: Double, allocation: Allocation = .uniform, maskUpdate: MaskUpdateConfig? = nil) {
      self.name = name
      self.sparsity = sparsity
      self.allocation = allocation
      self.maskUpdate = maskUpdate
    }
  }

  /// Measures every configuration in `rounds` alternating rounds (A B C A B C …, so a noisy
  /// neighbour hurts all alike) and keeps each configuration's best round.
  public func run(_ configurations: [Configuration], data: Dataset, rounds: Int = 3) throws -> [Result] {
    var trainers: [Trainer] = []
    for c in configurations {
      let shapes = zip(sizes, sizes.dropFirst()).map { (nIn: $0, nOut: $1) }
      var masks: [Mask?] = shapes.map { _ in nil }
      if c.sparsity > 0 {
        let budget = try LayerBudget.allocate(shapes: shapes, sparsity: c.sparsity, allocation: c.allocation)
        var rng = PSNRandom(seed: 1, stream: "bench.masks")
        masks = zip(shapes, budget.nnz).map { s, n in n.map { Mask.random(nIn: s.nIn, nOut: s.nOut, nnz: $0, rng: &rng) } }
      }
      let model = try MLP(sizes: sizes, masks: masks, seed: 1)
      var config = TrainingConfig()
      config.batchSize = batchSize
      config.threads = threads
      config.evaluateEachEpoch = false
      config.collectNeuronStatistics = false
      // Enough epochs that the run never finishes while measuring.
      config.epochs = 1000
      config.maskUpdate = c.maskUpdate
      trainers.append(try Trainer(model: model, data: data, config: config))
    }
    func train(_ trainer: Trainer, steps: Int) throws {
      var done = 0
      try trainer.run(TrainingCallbacks(shouldStop: { done >= steps }, onBatch: { _ in done += 1 }))
    }
    for trainer in trainers { try train(trainer, steps: 20) }  // warm caches and allocations
    var best = [Double](repeating: 0, count: configurations.count)
    var seconds = [Double](repeating: 0, count: configurations.count)
    for _ in 0..<rounds {
      for (k, trainer) in trainers.enumerated() {
        let t0 = ContinuousClock.now
        try train(trainer, steps: steps)
        let dt = (ContinuousClock.now - t0).seconds
        let rate = Double(steps * batchSize) / dt
        if rate > best[k] {
          best[k] = rate
          seconds[k] = dt
        }
      }
    }
    return configurations.indices.map {
      Result(name: configurations[$0].name, sparsity: configurations[$0].sparsity, samplesPerSecond: best[$0], seconds: seconds[$0], samples: steps * batchSize)
    }
  }
}
