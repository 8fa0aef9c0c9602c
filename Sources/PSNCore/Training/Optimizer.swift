import Foundation

/// The optimizers psn trains with.
public enum OptimizerKind: String, CaseIterable, Sendable, Codable {
  /// SGD with optional (Nesterov) momentum and L2 weight decay added to the gradient (PyTorch's SGD).
  case sgd
  /// Adam (Kingma & Ba 2015) with L2 weight decay added to the gradient (PyTorch's Adam).
  case adam
  /// Adam with decoupled weight decay (Loshchilov & Hutter 2019, PyTorch's AdamW).
  case adamw
}

/// Hyper-parameters of one optimizer; `step` is a pure per-tensor update.
public struct Optimizer: Sendable, Equatable, Codable {
  public var kind: OptimizerKind
  public var momentum: Double
  public var nesterov: Bool
  public var beta1: Double
  public var beta2: Double
  public var epsilon: Double
  /// Applied to weights only, never to biases.
  public var weightDecay: Double

  public init(
    kind: OptimizerKind = .adam, momentum: Double = 0.9, nesterov: Bool = false,
    beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0
  ) {
    self.kind = kind
    self.momentum = momentum
    self.nesterov = nesterov
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
  }

  /// Whether the optimizer keeps a second moment (Adam's v) besides the first.
  public var usesSecondMoment: Bool { kind != .sgd }

  /// Updates `count` parameters θ from gradients g at learning rate η, step t (1-based).
  ///
  /// SGD:   g' = g + λθ;  m ← μm + g';  d = g' + μm (Nesterov) or m;  θ ← θ − ηd   (μ = 0: d = g')
  /// Adam:  g' = g + λθ;  m ← β₁m + (1−β₁)g';  v ← β₂v + (1−β₂)g'²;
  ///        θ ← θ − η · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)
  /// AdamW: as Adam with g' = g, and θ ← θ − ηλθ first.
  /// `decay` says whether λ applies to this tensor (weights yes, biases no).
  public func step(
    parameters θ: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>,
    m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>?, count: Int,
    learningRate: Double, t: Int, decay: Bool, threads: Int = 1
  ) {
    // Elementwise, so any split over threads gives the same bits.
    Parallel.forEachRowRange(rows: count, threads: threads, minimumCost: 65536) { r in
      switch kind {
      case .sgd:
        sgd(θ, g, m, r, learningRate: learningRate, decay: decay)
      case .adam, .adamw:
        guard let v else { preconditionFailure("Adam needs a second-moment buffer") }
        adam(θ, g, m, v, r, learningRate: learningRate, t: t, decay: decay)
      }
    }
  }

  /// SGD on θ[r]; SIMD8 body and scalar tail evaluate the same expressions in the same order.
  private func sgd(
    _ θ: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
    _ r: Range<Int>, learningRate: Double, decay: Bool
  ) {
    typealias V = SIMD8<Float>
    let lr = Float(learningRate)
    let wd = decay ? Float(weightDecay) : 0
    let mu = Float(momentum)
    let nesterov = self.nesterov
    @inline(__always) func update(_ θ: V, _ g: V, _ m: V) -> (θ: V, m: V) {
      let gi = g + wd * θ
      if mu == 0 { return (θ - lr * gi, m) }
      let mi = mu * m + gi
      return (θ - lr * (nesterov ? gi + mu * mi : mi), mi)
    }
    var i = r.lowerBound
    while i + 8 <= r.upperBound {
      let u = update(V(load: θ + i), V(load: g + i), V(load: m + i))
      u.θ.store(to: θ + i)
      u.m.store(to: m + i)
      i += 8
    }
    while i < r.upperBound {
      let u = update(V(repeating: θ[i]), V(repeating: g[i]), V(repeating: m[i]))
      θ[i] = u.θ[0]
      m[i] = u.m[0]
      i += 1
    }
  }

  /// Adam / AdamW on θ[r]; bias corrections folded into the step size and 1/√(1−β₂ᵗ).
  private func adam(
    _ θ: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
    _ v: UnsafeMutablePointer<Float>, _ r: Range<Int>, learningRate: Double, t: Int, decay: Bool
  ) {
    typealias V = SIMD8<Float>
    let lr = Float(learningRate)
    let wd = decay ? Float(weightDecay) : 0
    let b1 = Float(beta1)
    let b2 = Float(beta2)
    let c1 = Float(1 - Foundation.pow(beta1, Double(t)))
    let c2 = Float(1 - Foundation.pow(beta2, Double(t)))
    let eps = Float(epsilon)
    let stepSize = lr / c1
    let invSqrtC2 = 1 / c2.squareRoot()
    let coupled = kind == .adam
    @inline(__always) func update(_ θ: V, _ g: V, _ m: V, _ v: V) -> (θ: V, m: V, v: V) {
      var θ = θ
      var gi = g
      if coupled { gi += wd * θ } else { θ -= lr * wd * θ }
      let mi = b1 * m + (1 - b1) * gi
      let vi = b2 * v + (1 - b2) * gi * gi
      return (θ - stepSize * mi / (vi.squareRoot() * invSqrtC2 + eps), mi, vi)
    }
    var i = r.lowerBound
    while i + 8 <= r.upperBound {
      let u = update(V(load: θ + i), V(load: g + i), V(load: m + i), V(load: v + i))
      u.θ.store(to: θ + i)
      u.m.store(to: m + i)
      u.v.store(to: v + i)
      i += 8
    }
    while i < r.upperBound {
      let u = update(V(repeating: θ[i]), V(repeating: g[i]), V(repeating: m[i]), V(repeating: v[i]))
      θ[i] = u.θ[0]
      m[i] = u.m[0]
      v[i] = u.v[0]
      i += 1
    }
  }
}

extension SIMD8 where Scalar == Float {
  @inline(__always) init(load p: UnsafePointer<Float>) {
    self = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
  }
  @inline(__always) init(load p: UnsafeMutablePointer<Float>) { self.init(load: UnsafePointer(p)) }
  @inline(__always) func store(to p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: self, as: SIMD8<Float>.self)
  }
}

/// Optimizer moments for one layer, laid out like the layer's parameters (CSR order for a sparse
/// layer's weights), so inactive weights have no state at all.
public struct LayerOptimizerState: Sendable, Equatable {
  public var weightM: [Float]
  public var weightV: [Float]
  public var biasM: [Float]
  public var biasV: [Float]

  public init(weightCount: Int, biasCount: Int, secondMoment: Bool) {
    weightM = [Float](repeating: 0, count: weightCount)
    weightV = secondMoment ? [Float](repeating: 0, count: weightCount) : []
    biasM = [Float](repeating: 0, count: biasCount)
    biasV = secondMoment ? [Float](repeating: 0, count: biasCount) : []
  }

  public init(weightM: [Float], weightV: [Float], biasM: [Float], biasV: [Float]) {
    self.weightM = weightM
    self.weightV = weightV
    self.biasM = biasM
    self.biasV = biasV
  }
}

extension LayerOptimizerState {
  /// One optimizer step on a layer's weights (decayed) and biases (not decayed).
  mutating func apply(
    _ optimizer: Optimizer, to layer: inout Layer, weightGradients: [Float], biasGradients: [Float], learningRate: Double, t: Int,
    threads: Int
  ) {
    func update(_ θ: inout [Float], _ g: [Float], _ m: inout [Float], _ v: inout [Float], decay: Bool) {
      θ.withUnsafeMutableBufferPointer { θp in
        g.withUnsafeBufferPointer { gp in
          m.withUnsafeMutableBufferPointer { mp in
            v.withUnsafeMutableBufferPointer { vp in
              optimizer.step(
                parameters: θp.baseAddress!, gradients: gp.baseAddress!, m: mp.baseAddress!,
                v: vp.baseAddress, count: θp.count, learningRate: learningRate, t: t, decay: decay,
                threads: threads)
            }
          }
        }
      }
    }
    update(&layer.weights, weightGradients, &weightM, &weightV, decay: true)
    update(&layer.bias, biasGradients, &biasM, &biasV, decay: false)
  }
}
