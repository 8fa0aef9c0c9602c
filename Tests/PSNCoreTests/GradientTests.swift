import Testing
@testable import PSNCore

/// Backpropagation against central finite differences of an independent Double-precision
/// reference loss (TestSupport.referenceLoss), through every layer, dense and masked.
///
/// Tolerance: the analytic gradient is computed in Float32 over a batch of 16, so it carries
/// ~1e-6 relative rounding; the finite difference in Double with h = 1e-5 has truncation error
/// O(h²·L''') ≈ 1e-9 and no rounding to speak of. A ReLU kink inside [θ−h, θ+h] would break the
/// difference; with continuous random data the chance is negligible and the seeds are fixed.
/// We require |g − g_fd| ≤ 1e-4 + 1e-3·|g_fd| for every weight and bias.
@Suite struct GradientTests {
  static let cases: [(name: String, sizes: [Int], sparse: [Bool])] = [
    ("dense 7-6-5-3", [7, 6, 5, 3], [false, false, false]),
    ("masked 7-6-5-3", [7, 6, 5, 3], [true, true, true]),
    ("mixed 9-8-4", [9, 8, 4], [true, false]),
    ("deep 5-6-6-6-2", [5, 6, 6, 6, 2], [true, false, true, true]),
  ]

  @Test(arguments: cases.indices)
  func matchesFiniteDifferences(_ c: Int) throws {
    let (name, sizes, sparse) = Self.cases[c]
    let data = TestSupport.blobs(samples: 64, features: sizes[0], classes: sizes.last!, seed: UInt64(c + 1))
    var rng = PSNRandom(seed: 99, stream: "gradient-test.masks")
    let masks: [Mask?] = (0..<sizes.count - 1).map { l in
      sparse[l] ? Mask.random(nIn: sizes[l], nOut: sizes[l + 1], nnz: sizes[l] * sizes[l + 1] / 2, rng: &rng) : nil
    }
    var model = try MLP(sizes: sizes, masks: masks, seed: 5)
    // Non-zero biases (never exactly 0: a neuron the random mask left without inputs would then
    // sit on the ReLU kink, where the finite difference is one-sided).
    for l in model.layers.indices { model.layers[l].bias = model.layers[l].bias.indices.map { Float($0 % 3) * 0.05 - 0.04 } }

    var config = TrainingConfig()
    config.batchSize = 16
    config.epochs = 1
    config.threads = 1
    let trainer = try Trainer(model: model, data: data, config: config)
    let capture = GradientCapture()
    trainer.stepObservers = [capture]
    let idx = Array(0..<16)
    let idx32 = idx.map { Int32($0) }
    _ = idx32.withUnsafeBufferPointer { trainer.step(indices: $0, learningRate: 0.1) }
    #expect(trainer.model == model, "a skipped update must leave the model untouched")

    let h = 1e-5
    for (l, layer) in model.layers.enumerated() {
      // Map stored weight index p to its dense position.
      let positions: [Int] = layer.mask.map { m in
        (0..<m.nOut).flatMap { j in (Int(m.rowStart[j])..<Int(m.rowStart[j + 1])).map { j * m.nIn + Int(m.columns[$0]) } }
      } ?? Array(0..<(layer.nIn * layer.nOut))
      for (p, pos) in positions.enumerated() {
        let up = TestSupport.referenceLoss(model, data.train, idx, perturb: (l, pos, false, h))
        let down = TestSupport.referenceLoss(model, data.train, idx, perturb: (l, pos, false, -h))
        let fd = (up - down) / (2 * h)
        let g = Double(capture.weights[l][p])
        #expect(abs(g - fd) <= 1e-4 + 1e-3 * abs(fd), "\(name): layer \(l + 1) weight \(pos): backprop \(g) vs finite difference \(fd)")
      }
      for j in 0..<layer.nOut {
        let up = TestSupport.referenceLoss(model, data.train, idx, perturb: (l, j, true, h))
        let down = TestSupport.referenceLoss(model, data.train, idx, perturb: (l, j, true, -h))
        let fd = (up - down) / (2 * h)
        let g = Double(capture.biases[l][j])
        #expect(abs(g - fd) <= 1e-4 + 1e-3 * abs(fd), "\(name): layer \(l + 1) bias \(j): backprop \(g) vs finite difference \(fd)")
      }
    }
  }
}
