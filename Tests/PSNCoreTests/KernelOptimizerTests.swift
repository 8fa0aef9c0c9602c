import Testing
@testable import PSNCore

/// The optimizer step's vector body and scalar tail must give every element the same bits, so a
/// parameter's trajectory does not depend on where the thread split or the tensor's length puts
/// it (and a sparse layer's result does not change when RigL changes its active count).
@Suite struct KernelOptimizerTests {
  static let optimizers: [Optimizer] = [
    Optimizer(kind: .sgd, momentum: 0),
    Optimizer(kind: .sgd, momentum: 0.9, weightDecay: 1e-2),
    Optimizer(kind: .sgd, momentum: 0.9, nesterov: true, weightDecay: 1e-2),
    Optimizer(kind: .adam),
    Optimizer(kind: .adam, weightDecay: 1e-2),
    Optimizer(kind: .adamw, weightDecay: 1e-2),
  ]

  @Test(arguments: optimizers.indices)
  func vectorBodyAndScalarTailAgreeBitForBit(_ c: Int) {
    let optimizer = Self.optimizers[c]
    var rng = PSNRandom(seed: UInt64(c), stream: "optimizer-test")
    let n = 37  // four 8-wide vectors and a 5-element tail
    let g0 = (0..<n).map { _ in Float(rng.nextNormal()) }
    let theta0 = (0..<n).map { _ in Float(rng.nextNormal()) }
    // All at once (vectors + tail) versus one element at a time (tail only), three steps.
    var theta = theta0, m = [Float](repeating: 0, count: n), v = m
    var thetaOne = theta0, mOne = m, vOne = m
    for t in 1...3 {
      let g = g0.map { $0 * Float(t) }
      g.withUnsafeBufferPointer { gp in
        optimizer.step(parameters: &theta, gradients: gp.baseAddress!, m: &m, v: &v, count: n, learningRate: 0.01, t: t, decay: true)
        for i in 0..<n {
          optimizer.step(parameters: &thetaOne[i], gradients: gp.baseAddress! + i, m: &mOne[i], v: &vOne[i], count: 1, learningRate: 0.01, t: t, decay: true)
        }
      }
    }
    #expect(theta == thetaOne)
    #expect(m == mOne)
    if optimizer.usesSecondMoment { #expect(v == vOne) }
    #expect(theta != theta0)
  }

  /// Adam's first step moves every parameter by −η·sign(g) (m̂ = g, v̂ = g², ε ≪ |g|): a value
  /// known without running the kernel, checked on the vector body.
  @Test func adamFirstStepOnVectors() {
    let g: [Float] = (0..<16).map { Float($0 % 2 == 0 ? 1 : -1) * (0.5 + Float($0)) }
    var theta = [Float](repeating: 1, count: 16), m = [Float](repeating: 0, count: 16), v = m
    g.withUnsafeBufferPointer { gp in
      Optimizer(kind: .adam).step(parameters: &theta, gradients: gp.baseAddress!, m: &m, v: &v, count: 16, learningRate: 0.1, t: 1, decay: true)
    }
    for i in 0..<16 { #expect(abs(theta[i] - (1 - 0.1 * (g[i] > 0 ? 1 : -1))) < 1e-6) }
  }
}
