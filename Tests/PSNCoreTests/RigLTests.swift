import Foundation
import Testing
@testable import PSNCore

/// Records, at every step, the masks and weights after the optimizer and the dense gradient
/// |dZ Aᵀ| computed with plain loops — an independent reference for the grow criterion.
final class UpdateWitness: TrainingStepObserver {
  var masks: [Int: Mask] = [:]
  var weights: [Int: [Float]] = [:]
  var denseGradient: [Int: [Double]] = [:]
  let layer: Int
  init(layer: Int) { self.layer = layer }
  func afterUpdate(_ step: StepView) {
    let t = step.step + 1
    let l = step.model.layers[layer]
    masks[t] = l.mask
    weights[t] = l.weights
    let dz = step.outputGradient(layer)
    let a = step.input(layer)
    var g = [Double](repeating: 0, count: l.nIn * l.nOut)
    for o in 0..<l.nOut {
      for i in 0..<l.nIn {
        var s = 0.0
        for b in 0..<step.batch { s += Double(dz[o * step.batch + b]) * Double(a[i * step.batch + b]) }
        g[o * l.nIn + i] = abs(s)
      }
    }
    denseGradient[t] = g
  }
}

@Suite struct RigLTests {
  func setup(growth: MaskUpdateConfig.Growth = .gradient, optimizer: OptimizerKind = .adam, epochs: Int = 3)
    throws -> (Trainer, MLP)
  {
    let data = TestSupport.blobs(samples: 640, features: 24, classes: 4, seed: 2)
    var rng = PSNRandom(seed: 5, stream: "masks")
    let masks: [Mask?] = [
      Mask.random(nIn: 24, nOut: 40, nnz: 240, rng: &rng), Mask.random(nIn: 40, nOut: 20, nnz: 160, rng: &rng), nil,
    ]
    let model = try MLP(sizes: [24, 40, 20, 4], masks: masks, seed: 1)
    var c = TrainingConfig()
    c.epochs = epochs
    c.batchSize = 32  // 20 steps per epoch
    c.learningRate = 1e-2
    c.optimizer = Optimizer(kind: optimizer, momentum: 0.9)
    c.maskUpdate = MaskUpdateConfig(interval: 5, alpha: 0.3, endFraction: 0.75, growth: growth)
    return (try Trainer(model: model, data: data, config: c), model)
  }

  @Test func dropFractionScheduleAndEnd() {
    let u = MaskUpdateConfig(interval: 100, alpha: 0.3, endFraction: 0.75)
    let total = 4000  // T_end = 3000
    #expect(abs(u.dropFraction(step: 0, totalSteps: total) - 0.3) < 1e-12)
    #expect(abs(u.dropFraction(step: 1500, totalSteps: total) - 0.15) < 1e-12)
    #expect(abs(u.dropFraction(step: 1000, totalSteps: total) - 0.3 / 2 * (1 + cos(Double.pi / 3))) < 1e-12)
    #expect(u.isUpdateStep(100, totalSteps: total))
    #expect(!u.isUpdateStep(150, totalSteps: total))
    #expect(u.isUpdateStep(3000, totalSteps: total))
    #expect(!u.isUpdateStep(3100, totalSteps: total))
    #expect(!u.isUpdateStep(0, totalSteps: total))
  }

  @Test(arguments: [OptimizerKind.sgd, .adam])
  func updatesFollowTheDefinition(_ optimizer: OptimizerKind) throws {
    let (trainer, start) = try setup(optimizer: optimizer)
    let witness = UpdateWitness(layer: 0)
    trainer.stepObservers = [witness]
    try trainer.run()
    #expect(trainer.totalSteps == 60)  // T_end = 45
    let updates = trainer.state.maskUpdates
    #expect(updates.map(\.step) == [0, 5, 10, 15, 20, 25, 30, 35, 40, 45])
    var previous = start.layers[0].mask!
    for u in updates.dropFirst() {
      let f = 0.3 / 2 * (1 + cos(Double.pi * Double(u.step) / 45))
      #expect(abs(u.dropFraction - f) < 1e-12)
      let rec = u.layers.first { $0.layer == 0 }!
      #expect(rec.dropped == Int((f * 240).rounded(.down)))
      #expect(rec.fanIns.reduce(0, +) == 240, "active count is constant")
      #expect(u.layers.first { $0.layer == 1 }!.fanIns.reduce(0, +) == 160)

      // Recompute the update from the witness: keep the K−n largest |w|, grow the n largest |g|
      // among the rest (ties: lowest position), and compare with the mask the trainer produced.
      let w = witness.weights[u.step]!.map { abs($0) }
      let order = w.indices.sorted { w[$0] != w[$1] ? w[$0] < w[$1] : $0 < $1 }
      let dropped = Set(order.prefix(rec.dropped))
      var keptPositions = Set<Int>()
      var oldPositions = Set<Int>()
      for j in 0..<previous.nOut {
        for p in Int(previous.rowStart[j])..<Int(previous.rowStart[j + 1]) {
          let pos = j * 24 + Int(previous.columns[p])
          oldPositions.insert(pos)
          if !dropped.contains(p) { keptPositions.insert(pos) }
        }
      }
      let g = witness.denseGradient[u.step]!
      let candidates = g.indices.filter { !keptPositions.contains($0) }.sorted { g[$0] != g[$1] ? g[$0] > g[$1] : $0 < $1 }
      let grown = Set(candidates.prefix(rec.grown))
      var newPositions = Set<Int>()
      let newFanIns = rec.fanIns
      #expect(newFanIns.count == 40)
      // The trainer's mask right after this update is the witness mask of the next step.
      if let after = witness.masks[u.step + 1] {
        for j in 0..<after.nOut {
          for p in Int(after.rowStart[j])..<Int(after.rowStart[j + 1]) { newPositions.insert(j * 24 + Int(after.columns[p])) }
        }
        // Float32 vs Double gradients can swap near-equal candidates; allow a couple of swaps.
        let expected = keptPositions.union(grown)
        #expect(newPositions.symmetricDifference(expected).count <= 4, "step \(u.step): mask differs from the RigL definition in \(newPositions.symmetricDifference(expected).count) positions")
        #expect(keptPositions.isSubset(of: newPositions), "every kept weight stays")
        let regrown = newPositions.intersection(oldPositions).subtracting(keptPositions).count
        #expect(regrown == rec.regrown)
        #expect(abs(rec.churn - Double(newPositions.subtracting(oldPositions).count) / 240) < 1e-12)
        previous = after
      }
    }
  }

  /// Right after an update, every new connection has weight exactly 0 and zero optimizer moments,
  /// and kept connections carry their weight and moments over.
  @Test(arguments: [OptimizerKind.sgd, .adam])
  func grownWeightsStartAtZero(_ optimizer: OptimizerKind) throws {
    let (trainer, _) = try setup(optimizer: optimizer)
    var steps = 0
    // Stop right after step 9, then step 10 (an update step) separately.
    try trainer.run(TrainingCallbacks(shouldStop: { steps == 9 }, onBatch: { _ in steps += 1 }))
    let before = trainer.model.layers[0]
    try trainer.run(TrainingCallbacks(shouldStop: { steps == 10 }, onBatch: { _ in steps += 1 }))
    let after = trainer.model.layers[0]
    let st = trainer.state.optimizerState[0]
    let oldMask = before.mask!
    let newMask = after.mask!
    #expect(oldMask != newMask)
    var fresh = 0
    for j in 0..<newMask.nOut {
      for p in Int(newMask.rowStart[j])..<Int(newMask.rowStart[j + 1]) {
        let i = Int(newMask.columns[p])
        if !oldMask.contains(row: j, column: i) {
          fresh += 1
          #expect(after.weights[p] == 0)
          #expect(st.weightM[p] == 0)
          if optimizer == .adam { #expect(st.weightV[p] == 0) }
        }
      }
    }
    #expect(fresh > 0)
    #expect(st.weightM.count == 240)
  }

  /// SET picks uniformly among the inactive positions: over many updates of a 100×100 layer at
  /// 90% sparsity, grown connections land evenly on the 10 row blocks (chi-square, 9 dof).
  @Test func randomGrowthIsUniform() throws {
    let data = TestSupport.blobs(samples: 256, features: 100, classes: 4, seed: 3)
    var rng = PSNRandom(seed: 1, stream: "masks")
    let mask = Mask.random(nIn: 100, nOut: 100, nnz: 1000, rng: &rng)
    let model = try MLP(sizes: [100, 100, 4], masks: [mask, nil], seed: 1)
    var c = TrainingConfig()
    c.epochs = 60
    c.batchSize = 64  // 4 steps per epoch, 240 steps, T_end = 240
    c.maskUpdate = MaskUpdateConfig(interval: 2, alpha: 0.3, endFraction: 1, growth: .random)
    c.evaluateEachEpoch = false
    let trainer = try Trainer(model: model, data: data, config: c)
    var counts = [Double](repeating: 0, count: 10)
    var previous = mask
    final class Tracker: TrainingStepObserver {
      var onMask: (Mask) -> Void
      init(_ f: @escaping (Mask) -> Void) { onMask = f }
      func afterBackward(_ step: StepView) -> Bool {
        onMask(step.model.layers[0].mask!)
        return false
      }
    }
    trainer.stepObservers = [Tracker { m in
      if m != previous {
        for j in 0..<100 {
          for i in m.inputs(of: j) where !previous.contains(row: j, column: Int(i)) { counts[j / 10] += 1 }
        }
        previous = m
      }
    }]
    try trainer.run()
    let total = counts.reduce(0, +)
    #expect(total > 5000)
    let e = total / 10
    let chi2 = counts.reduce(0) { $0 + ($1 - e) * ($1 - e) / e }
    #expect(chi2 < 27.88, "chi-square \(chi2) over row blocks \(counts)")
  }

  @Test func rejectsDenseModelsAndBadSettings() throws {
    let data = TestSupport.blobs(samples: 64, features: 8, classes: 2, seed: 1)
    let dense = try MLP(sizes: [8, 4, 2], seed: 1)
    var c = TrainingConfig()
    c.maskUpdate = MaskUpdateConfig()
    #expect(throws: TrainingError.self) { try Trainer(model: dense, data: data, config: c) }
    c.maskUpdate = MaskUpdateConfig(alpha: 1.5)
    #expect(throws: TrainingError.invalidConfig("alpha must be in (0, 1), got 1.5")) { try c.validate() }
  }

  @Test func selectionBreaksTiesByIndex() {
    #expect(Selection.smallest([3, 1, 1, 2, 1], count: 2) == [1, 2])
    #expect(Selection.largest([0, 5, 5, 5, 1], count: 2) == [1, 2])
    #expect(Selection.largest([0, 5, 5, 5, 1], count: 2, eligible: [true, false, true, true, true]) == [2, 3])
    var rng = PSNRandom(seed: 1)
    let v = (0..<1000).map { _ in Float(rng.nextInt(below: 50)) }
    let got = Selection.largest(v, count: 137)
    let want = v.indices.sorted { v[$0] != v[$1] ? v[$0] > v[$1] : $0 < $1 }.prefix(137).sorted()
    #expect(got == Array(want))
  }

  /// Large arrays take the sampled pre-filter: the same k-th value and the same set as a full
  /// sort, for counts near both ends, heavy ties, and ±∞ (RigL scores kept positions −∞).
  @Test func sampledSelectionEqualsSorting() {
    var rng = PSNRandom(seed: 2, stream: "selection")
    let n = 40_000
    let continuous = (0..<n).map { _ in Float(rng.nextNormal()) }
    let tied = (0..<n).map { _ in Float(rng.nextInt(below: 30)) }
    var withInfinities = continuous
    for i in stride(from: 0, to: n, by: 7) { withInfinities[i] = -.infinity }
    for v in [continuous, tied, withInfinities] {
      for k in [1, 2, 137, 5_000, 20_000, 34_000, n - 1, n] {
        let want = v.indices.sorted { v[$0] != v[$1] ? v[$0] > v[$1] : $0 < $1 }.prefix(k).sorted()
        #expect(Selection.largest(v, count: k) == Array(want), "k = \(k)")
        var copy = v
        #expect(Selection.kthSmallest(&copy, k - 1) == v.sorted()[k - 1])
      }
    }
  }
}
