import Foundation
import Testing
@testable import PSNCore

@Suite struct OptimizerTests {
  func run(_ opt: Optimizer, steps: [(g: Float, lr: Double)], theta: Float, decay: Bool = true) -> Float {
    var θ = [theta]
    var m: [Float] = [0]
    var v: [Float] = [0]
    for (t, s) in steps.enumerated() {
      let g = [s.g]
      θ.withUnsafeMutableBufferPointer { tp in
        g.withUnsafeBufferPointer { gp in
          m.withUnsafeMutableBufferPointer { mp in
            v.withUnsafeMutableBufferPointer { vp in
              opt.step(parameters: tp.baseAddress!, gradients: gp.baseAddress!, m: mp.baseAddress!, v: vp.baseAddress!, count: 1, learningRate: s.lr, t: t + 1, decay: decay)
            }
          }
        }
      }
    }
    return θ[0]
  }

  /// Hand-computed: SGD momentum 0.9, lr 0.1, grads 1 then 2, θ₀ = 1:
  /// m₁ = 1, θ₁ = 0.9; m₂ = 0.9 + 2 = 2.9, θ₂ = 0.9 − 0.29 = 0.61.
  @Test func sgdMomentum() {
    let θ = run(Optimizer(kind: .sgd, momentum: 0.9), steps: [(1, 0.1), (2, 0.1)], theta: 1)
    #expect(abs(θ - 0.61) < 1e-6)
  }

  /// Nesterov: d = g + μm. Step 1: m = 1, d = 1.9, θ = 0.81; step 2: m = 2.9, d = 2 + 2.61 = 4.61, θ = 0.349.
  @Test func sgdNesterov() {
    let θ = run(Optimizer(kind: .sgd, momentum: 0.9, nesterov: true), steps: [(1, 0.1), (2, 0.1)], theta: 1)
    #expect(abs(θ - 0.349) < 1e-6)
  }

  /// Adam's first step moves every parameter by lr·sign(g) (bias correction makes m̂/√v̂ = ±1).
  @Test func adamFirstStepIsSignedLearningRate() {
    #expect(abs(run(Optimizer(kind: .adam), steps: [(0.37, 0.01)], theta: 1) - 0.99) < 1e-6)
    #expect(abs(run(Optimizer(kind: .adam), steps: [(-5, 0.01)], theta: 1) - 1.01) < 1e-6)
  }

  /// Two Adam steps against the formula evaluated in Double.
  @Test func adamTwoSteps() {
    let (b1, b2, eps, lr) = (0.9, 0.999, 1e-8, 0.1)
    var θ = 0.5, m = 0.0, v = 0.0
    for (t, g) in [0.3, -0.1].enumerated() {
      m = b1 * m + (1 - b1) * g
      v = b2 * v + (1 - b2) * g * g
      let mh = m / (1 - pow(b1, Double(t + 1)))
      let vh = v / (1 - pow(b2, Double(t + 1)))
      θ -= lr * mh / (vh.squareRoot() + eps)
    }
    let got = run(Optimizer(kind: .adam), steps: [(0.3, lr), (-0.1, lr)], theta: 0.5)
    #expect(abs(Double(got) - θ) < 1e-6)
  }

  /// Coupled (Adam) and decoupled (AdamW) weight decay differ; biases are never decayed.
  @Test func weightDecay() {
    // SGD without momentum: θ − lr(g + λθ) = 1 − 0.1(0 + 0.5) = 0.95.
    #expect(abs(run(Optimizer(kind: .sgd, momentum: 0, weightDecay: 0.5), steps: [(0, 0.1)], theta: 1) - 0.95) < 1e-6)
    #expect(run(Optimizer(kind: .sgd, momentum: 0, weightDecay: 0.5), steps: [(0, 0.1)], theta: 1, decay: false) == 1)
    // AdamW with g = 0: θ = 1 − lr·λ·1 = 0.95, and the Adam part adds nothing (m = 0).
    #expect(abs(run(Optimizer(kind: .adamw, weightDecay: 0.5), steps: [(0, 0.1)], theta: 1) - 0.95) < 1e-6)
  }
}

@Suite struct ScheduleTests {
  @Test func cosineStartHalfwayEnd() {
    let s = LearningRateSchedule.cosine
    #expect(s.rate(base: 0.1, step: 0, totalSteps: 100, stepsPerEpoch: 10) == 0.1)
    #expect(abs(s.rate(base: 0.1, step: 50, totalSteps: 100, stepsPerEpoch: 10) - 0.05) < 1e-12)
    #expect(abs(s.rate(base: 0.1, step: 100, totalSteps: 100, stepsPerEpoch: 10)) < 1e-12)
    #expect(abs(s.rate(base: 0.1, step: 150, totalSteps: 100, stepsPerEpoch: 10)) < 1e-12)
  }

  @Test func stepDecay() {
    let s = LearningRateSchedule.step(everyEpochs: 2, gamma: 0.1)
    #expect(s.rate(base: 1, step: 19, totalSteps: 100, stepsPerEpoch: 10) == 1)
    #expect(abs(s.rate(base: 1, step: 20, totalSteps: 100, stepsPerEpoch: 10) - 0.1) < 1e-12)
    #expect(abs(s.rate(base: 1, step: 45, totalSteps: 100, stepsPerEpoch: 10) - 0.01) < 1e-12)
  }
}

@Suite struct BudgetTests {
  let lenet: [(nIn: Int, nOut: Int)] = [(784, 300), (300, 100), (100, 10)]

  /// The issue's reference: ERK densities for 784-300-100-10 at 90% are 0.080 / 0.230 / 1.0.
  @Test func erkLeNetAt90() throws {
    let b = try LayerBudget.allocate(shapes: lenet, sparsity: 0.9, allocation: .erk)
    let d = b.densities(shapes: lenet)
    #expect(abs(d[0] - 0.0796) < 5e-4)
    #expect(abs(d[1] - 0.2302) < 5e-4)
    #expect(b.nnz[2] == nil)
    // The global budget over all three layers is met exactly.
    let active = zip(b.nnz, lenet).reduce(0) { $0 + ($1.0 ?? $1.1.nIn * $1.1.nOut) }
    #expect(active == Int((0.1 * 266_200.0).rounded()))
  }

  /// ERK at 98% caps nothing; densities keep the ratio (n_in + n_out)/(n_in·n_out) between layers
  /// (the invariant google-research/rigl's sparse_utils_test checks), up to rounding.
  @Test func erkKeepsProportionality() throws {
    let b = try LayerBudget.allocate(shapes: lenet, sparsity: 0.98, allocation: .erk)
    let d = b.densities(shapes: lenet)
    let p = lenet.map { Double($0.nIn + $0.nOut) / Double($0.nIn * $0.nOut) }
    #expect(abs(d[0] / p[0] - d[1] / p[1]) < 1e-3 * d[0] / p[0])
    #expect(abs(d[2] - 0.3674) < 5e-4)
  }

  @Test func uniformAndKeptDense() throws {
    let b = try LayerBudget.allocate(shapes: lenet, sparsity: 0.9, allocation: .uniform, keepDense: [2])
    #expect(b.nnz[0] == 23520)
    #expect(b.nnz[1] == 3000)
    #expect(b.nnz[2] == nil)
  }

  @Test func neverBelowOneConnectionPerNeuron() throws {
    let b = try LayerBudget.allocate(shapes: lenet, sparsity: 0.999, allocation: .uniform)
    #expect(b.nnz[0] == 300)
    #expect(b.raisedToOnePerNeuron.contains(0))
  }

  @Test(arguments: [-0.1, 1.0, 1.5, Double.nan])
  func rejectsBadSparsity(_ s: Double) {
    #expect(throws: BudgetError.self) { try LayerBudget.allocate(shapes: lenet, sparsity: s, allocation: .uniform) }
  }
}

@Suite struct TrainerTests {
  func sparseModel(seed: UInt64 = 3) throws -> (MLP, Dataset) {
    let data = TestSupport.blobs(samples: 600, features: 20, classes: 4, seed: 1)
    var rng = PSNRandom(seed: seed, stream: "masks")
    let masks: [Mask?] = [
      Mask.random(nIn: 20, nOut: 32, nnz: 200, rng: &rng), Mask.random(nIn: 32, nOut: 16, nnz: 150, rng: &rng), nil,
    ]
    return (try MLP(sizes: [20, 32, 16, 4], masks: masks, seed: seed), data)
  }

  func config(_ optimizer: OptimizerKind = .adam, epochs: Int = 4) -> TrainingConfig {
    var c = TrainingConfig()
    c.epochs = epochs
    c.batchSize = 32
    c.learningRate = optimizer == .sgd ? 0.05 : 1e-2
    c.optimizer = Optimizer(kind: optimizer, momentum: 0.9, weightDecay: 1e-4)
    return c
  }

  /// Training that gathers its batches from pixel bytes ends with the same weights, bit for bit,
  /// as training from the features (on features quantised to b / 255, 1 and 2 threads).
  @Test func pixelByteBatchesTrainIdentically() throws {
    let (model, blobs) = try sparseModel()
    var data = blobs
    let squash = { (f: Float) -> Float in Float(UInt8(max(0, min(255, (f * 20 + 128).rounded())))) / 255 }
    data.train = Dataset.Split(features: blobs.train.features.map(squash), labels: blobs.train.labels)
    var bytes = data
    bytes.train = data.train.withPixelBytes()
    #expect(bytes.train.pixelBytes != nil && data.train.pixelBytes == nil)
    for threads in [1, 2] {
      var c = config(epochs: 2)
      c.threads = threads
      let a = try Trainer(model: model, data: data, config: c)
      let b = try Trainer(model: model, data: bytes, config: c)
      _ = try a.run()
      _ = try b.run()
      #expect(a.model == b.model && a.state.history.map(\.trainLoss) == b.state.history.map(\.trainLoss))
    }
  }

  /// With two threads a small network's steps gather the next batch on a helper while they
  /// compute on one thread (`Trainer.gathersAhead`): the result is bit-identical to one thread,
  /// for static and RigL training, from features and from pixel bytes, and when a run is
  /// stopped and continued on the same trainer (the batch gathered ahead is checked, not assumed).
  @Test(arguments: [false, true])
  func gatheringAheadTrainsIdentically(rigl: Bool) throws {
    let (model, blobs) = try sparseModel()
    var bytes = blobs
    let squash = { (f: Float) -> Float in Float(UInt8(max(0, min(255, (f * 20 + 128).rounded())))) / 255 }
    bytes.train = Dataset.Split(features: blobs.train.features.map(squash), labels: blobs.train.labels).withPixelBytes()
    for data in [blobs, bytes] {
      var c = config(epochs: 3)
      if rigl { c.maskUpdate = MaskUpdateConfig(interval: 4, alpha: 0.3, endFraction: 1, growth: .gradient) }
      c.threads = 1
      let one = try Trainer(model: model, data: data, config: c)
      #expect(!one.gathersAhead)
      try one.run()
      c.threads = 2
      let two = try Trainer(model: model, data: data, config: c)
      #expect(two.gathersAhead)
      try two.run()
      #expect(two.model == one.model)
      #expect(two.state.history.map(\.trainLoss) == one.state.history.map(\.trainLoss))
      #expect(two.state.maskUpdates == one.state.maskUpdates)
      let stopped = try Trainer(model: model, data: data, config: c)
      var batches = 0
      _ = try stopped.run(TrainingCallbacks(shouldStop: { batches == 7 }, onBatch: { _ in batches += 1 }))
      batches += 1
      _ = try stopped.run(TrainingCallbacks(shouldStop: { batches == 30 }, onBatch: { _ in batches += 1 }))
      batches += 1
      #expect(try stopped.run() == .completed)
      #expect(stopped.model == one.model)
    }
  }

  @Test(arguments: OptimizerKind.allCases)
  func learnsAndKeepsMasksExact(_ kind: OptimizerKind) throws {
    let (model, data) = try sparseModel()
    let trainer = try Trainer(model: model, data: data, config: config(kind))
    #expect(try trainer.run() == .completed)
    let last = trainer.state.history.last!
    #expect(last.test!.accuracy > 0.9, "blobs should be learnt, got \(last.test!.accuracy)")
    #expect(last.trainLoss < trainer.state.history.first!.trainLoss)
    for (l, layer) in trainer.model.layers.enumerated() {
      #expect(layer.mask == model.layers[l].mask, "static training never changes a mask")
      // Dense view: every inactive weight is exactly zero; optimizer state exists only for active ones.
      let dense = layer.denseWeights()
      let ones = layer.effectiveMask.denseMatrix()
      #expect(zip(dense, ones).allSatisfy { $1 != 0 || $0 == 0 })
      #expect(trainer.state.optimizerState[l].weightM.count == layer.weightCount)
    }
  }

  @Test func sameSeedIsBitIdentical() throws {
    var results: [MLP] = []
    for _ in 0..<2 {
      let (model, data) = try sparseModel()
      let trainer = try Trainer(model: model, data: data, config: config())
      try trainer.run()
      results.append(trainer.model)
    }
    #expect(results[0] == results[1])
    let (other, data) = try sparseModel()
    var c = config()
    c.seed = 2
    let t = try Trainer(model: other, data: data, config: c)
    try t.run()
    #expect(t.model != results[0], "a different seed shuffles differently")
  }

  /// Stopping at a batch boundary and continuing gives exactly the uninterrupted result.
  @Test func interruptedRunResumesIdentically() throws {
    let (model, data) = try sparseModel()
    let whole = try Trainer(model: model, data: data, config: config())
    try whole.run()

    let first = try Trainer(model: model, data: data, config: config())
    var batches = 0
    let outcome = try first.run(TrainingCallbacks(shouldStop: { batches == 29 }, onBatch: { _ in batches += 1 }))
    #expect(outcome == .interrupted(epoch: 2, batch: 10, of: 19))
    // Continue in a new trainer from the saved state, as after save/open.
    let second = try Trainer(model: first.model, data: data, config: config(), resuming: first.state)
    #expect(try second.run() == .completed)
    #expect(second.model == whole.model)
    #expect(second.state.history.count == 4)
    #expect(second.state.history.map(\.test) == whole.state.history.map(\.test))
    // Resuming on a training split of another size is refused, not an out-of-bounds read.
    var smaller = data
    smaller.train = .init(features: Array(data.train.features.prefix(10 * data.featureCount)), labels: Array(data.train.labels.prefix(10)))
    #expect(throws: TrainingError.mismatch("the run was stopped on \(data.train.count) training samples but dataset '\(data.name)' has 10 (resume it on the data it started with)")) {
      _ = try Trainer(model: first.model, data: smaller, config: config(), resuming: first.state)
    }
  }

  @Test func divergenceStopsWithAClearError() throws {
    let (model, data) = try sparseModel()
    var c = config(.sgd)
    c.learningRate = 1e6
    c.schedule = .constant
    let trainer = try Trainer(model: model, data: data, config: c)
    do {
      try trainer.run()
      Issue.record("expected divergence")
    } catch let TrainingError.diverged(epoch, _, loss, _) {
      #expect(epoch >= 1)
      #expect(!loss.isFinite)
    }
  }

  @Test func rejectsMismatchedDataAndBadConfig() throws {
    let (model, _) = try sparseModel()
    let other = TestSupport.blobs(samples: 10, features: 7, classes: 4, seed: 1)
    #expect(throws: TrainingError.self) { try Trainer(model: model, data: other, config: config()) }
    var c = config()
    c.epochs = 0
    let (_, data) = try sparseModel()
    #expect(throws: TrainingError.invalidConfig("epochs must be between 1 and 1000000, got 0")) { try Trainer(model: model, data: data, config: c) }
  }

  /// Kaiming with each neuron's own fan-in: a neuron's incoming weights have variance 2/k_j.
  @Test func fanInAwareInitialisation() throws {
    var rng = PSNRandom(seed: 1)
    // Two neurons: fan-in 4000 and 400.
    let rows = [Array(0..<4000), Array(0..<400)]
    let mask = try Mask(nIn: 4000, nOut: 2, rows: rows)
    _ = rng
    let model = try MLP(sizes: [4000, 2, 2], masks: [mask, nil], seed: 9)
    for (j, k) in [(0, 4000), (1, 400)] {
      let w = model.layers[0].incoming(j).weights.map(Double.init)
      let variance = w.reduce(0) { $0 + $1 * $1 } / Double(w.count)
      #expect(abs(variance * Double(k) / 2 - 1) < 0.15, "neuron \(j): variance·k/2 = \(variance * Double(k) / 2)")
    }
    #expect(try MLP(sizes: [4000, 2, 2], masks: [mask, nil], seed: 9) == model)
  }
}
