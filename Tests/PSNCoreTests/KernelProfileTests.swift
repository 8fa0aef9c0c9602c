import Testing
@testable import PSNCore

/// The benchmark's training configurations and the per-phase profile of training steps.
@Suite struct KernelProfileTests {
  let data = TestSupport.blobs(samples: 320, features: 24, classes: 4, seed: 7)

  @Test func profileCoversEveryPhaseOfARigLStepWithStatistics() throws {
    var bench = TrainingBenchmark(sizes: [24, 40, 20, 4], batchSize: 32, steps: 250)
    var c = TrainingBenchmark.Configuration.named("rigl90")!
    c.collectStatistics = true
    let profile = try bench.profile(c, data: data)
    #expect(profile.steps == 250)
    #expect(profile.samples == 250 * 32)
    let entries = profile.entries
    let phases = Set(entries.map(\.phase))
    #expect(phases == Set(StepProfile.Phase.allCases), "missing: \(Set(StepProfile.Phase.allCases).subtracting(phases))")
    // Per-layer phases carry their layer; the first layer has no input gradient.
    #expect(Set(entries.filter { $0.phase == .forward }.compactMap(\.layer)) == [0, 1, 2])
    #expect(Set(entries.filter { $0.phase == .inputGradient }.compactMap(\.layer)) == [1, 2])
    #expect(entries.filter { $0.phase == .optimizer }.allSatisfy { $0.layer == nil })
    #expect(abs(entries.reduce(0) { $0 + $1.seconds } - profile.totalSeconds) < 1e-12)
    profile.reset()
    #expect(profile.entries.isEmpty && profile.steps == 0)
  }

  /// `--resident-sources`: every row keeps its fan-in (capped at the limit), now drawn among
  /// the first inputs only, as a valid CSR mask; the run measures forward and weight gradient.
  @Test func residentSourcesKeepFanInsWithinTheLimit() {
    var rng = PSNRandom(seed: 5, stream: "kernel-profile.resident")
    let mask = Mask.random(nIn: 200, nOut: 60, nnz: 2400, rng: &rng)
    let squeezed = KernelBenchmark.squeezed(mask, intoFirst: 16, rng: &rng)
    #expect(squeezed.fanIns == mask.fanIns.map { min($0, 16) })
    #expect(squeezed.columns.allSatisfy { $0 < 16 })
    for o in 0..<squeezed.nOut {
      let row = squeezed.columns[Int(squeezed.rowStart[o])..<Int(squeezed.rowStart[o + 1])]
      #expect(zip(row, row.dropFirst()).allSatisfy { $0 < $1 }, "row \(o) ascending and distinct")
    }
    let results = KernelBenchmark(nIn: 200, nOut: 60, batch: 16, seconds: 0, residentSources: 16).run(densities: [0.2])
    #expect(results.map(\.kernel) == ["forward", "weight-gradient"])
    #expect(results.allSatisfy { $0.gflops > 0 && $0.gflops.isFinite })
  }

  /// A profiled trainer computes exactly what an unprofiled one does.
  @Test func profilingDoesNotChangeTraining() throws {
    let bench = TrainingBenchmark(sizes: [24, 40, 20, 4], batchSize: 32)
    let c = TrainingBenchmark.Configuration.named("rigl90")!
    let plain = try bench.makeTrainer(c, data: data, epochs: 2)
    let profiled = try bench.makeTrainer(c, data: data, epochs: 2)
    profiled.profile = StepProfile(layerCount: 3)
    try plain.run()
    try profiled.run()
    #expect(plain.model == profiled.model)
    #expect(plain.state.maskUpdates == profiled.state.maskUpdates)
  }

  @Test func namedConfigurationsBuildTheStatedModels() throws {
    let bench = TrainingBenchmark(sizes: [24, 40, 20, 4], batchSize: 32)
    for name in TrainingBenchmark.Configuration.names {
      let c = TrainingBenchmark.Configuration.named(name)!
      let trainer = try bench.makeTrainer(c, data: data, epochs: 1)
      let layers = trainer.model.layers
      if c.sparsity == 0 {
        #expect(layers.allSatisfy { !$0.isSparse })
      } else {
        // `profile random` with the uniform allocation: hidden layers at 1 − s, logits dense.
        #expect(layers[0].isSparse && layers[1].isSparse && !layers[2].isSparse)
        // Exact budgets, raised to one connection per neuron where 1 − s gives fewer (99%).
        #expect(layers[0].weightCount == max(Int((1 - c.sparsity) * 960 + 0.5), 40))
        #expect(layers[1].weightCount == max(Int((1 - c.sparsity) * 800 + 0.5), 20))
      }
      #expect((trainer.config.maskUpdate != nil) == name.hasPrefix("rigl"))
      #expect(trainer.config.collectNeuronStatistics == name.hasPrefix("stats"))
    }
    #expect(TrainingBenchmark.Configuration.named("static42") == nil)
  }

  @Test func fullRunReportsAccuracyAndThroughput() throws {
    let bench = TrainingBenchmark(sizes: [24, 40, 20, 4], batchSize: 32)
    let easy = TestSupport.blobs(samples: 640, features: 24, classes: 4, seed: 7, separation: 4)
    let r = try bench.train(.named("static90")!, data: easy, seed: 3, epochs: 5)
    #expect(r.epochs == 5 && r.seed == 3)
    #expect(r.testAccuracy > 0.6, "well-separated blobs are learnable: \(r.testAccuracy)")
    #expect(r.samplesPerSecond > 0 && r.trainSeconds > 0)
    #expect(r.layerNNZ[2] == nil && r.layerNNZ[0] == 96)
  }
}

/// Training flushes denormals to zero (they made late epochs run at half speed) and gives the
/// caller its floating-point mode back afterwards.
@Suite struct KernelFloatModeTests {
  /// A denormal computed at run time from `n` (so the compiler cannot fold it): ½ of the
  /// smallest normal float, or 0 when denormal results are flushed.
  static func halfOfSmallestNormal(_ n: Int) -> Float {
    Float(n) * Float.leastNormalMagnitude / Float(2 * n)
  }

  final class Probe: TrainingStepObserver {
    var flushed: [Bool] = []
    func afterBackward(_ step: StepView) -> Bool {
      flushed.append(KernelFloatModeTests.halfOfSmallestNormal(step.batch) == 0)
      return false
    }
  }

  @Test func denormalsFlushedWhileTrainingOnly() throws {
    #expect(Self.halfOfSmallestNormal(3) > 0, "the caller's mode keeps denormals")
    let data = TestSupport.blobs(samples: 64, features: 6, classes: 2, seed: 1)
    var config = TrainingConfig()
    config.epochs = 1
    config.batchSize = 16
    let trainer = try Trainer(model: try MLP(sizes: [6, 5, 2], seed: 1), data: data, config: config)
    let probe = Probe()
    trainer.stepObservers = [probe]
    try trainer.run()
    #expect(probe.flushed == [true, true, true, true])
    #expect(Self.halfOfSmallestNormal(3) > 0, "restored after the run")
  }
}
