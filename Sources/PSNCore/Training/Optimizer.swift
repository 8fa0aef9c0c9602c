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

  /// SGD on θ[r]. The SIMD8 body and the scalar tail evaluate the same IEEE operations in the
  /// same order (no fused multiply-add), so an element gets the same bits whichever path — and
  /// whichever thread split — computes it.
  private func sgd(
    _ θ: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
    _ r: Range<Int>, learningRate: Double, decay: Bool
  ) {
    typealias V = SIMD8<Float>
    let lr = Float(learningRate)
    let wd = decay ? Float(weightDecay) : 0
    let mu = Float(momentum)
    let nesterov = self.nesterov
    // Vector constants built once: scalar·vector products inside the loop made the compiler
    // rebuild them lane by lane on every iteration.
    let (lrV, wdV, muV) = (V(repeating: lr), V(repeating: wd), V(repeating: mu))
    var i = r.lowerBound
    while i + 8 <= r.upperBound {
      let gi = V(load: g + i) + wdV * V(load: θ + i)
      if mu == 0 {
        (V(load: θ + i) - lrV * gi).store(to: θ + i)
      } else {
        let mi = muV * V(load: m + i) + gi
        (V(load: θ + i) - lrV * (nesterov ? gi + muV * mi : mi)).store(to: θ + i)
        mi.store(to: m + i)
      }
      i += 8
    }
    while i < r.upperBound {
      let gi = g[i] + wd * θ[i]
      if mu == 0 {
        θ[i] = θ[i] - lr * gi
      } else {
        let mi = mu * m[i] + gi
        θ[i] = θ[i] - lr * (nesterov ? gi + mu * mi : mi)
        m[i] = mi
      }
      i += 1
    }
  }

  /// Adam / AdamW on θ[r]; bias corrections folded into the step size η/(1−β₁ᵗ) and the factor
  /// 1/√(1−β₂ᵗ) on √v. Body and tail evaluate the same operations in the same order (see `sgd`).
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
    // Coupled (Adam): g' = g + λθ. Decoupled (AdamW): θ ← θ − ηλθ = θ·(1 − ηλ) is not the same
    // rounding, so it is kept as written: θ − (ηλ)θ.
    let coupled = kind == .adam
    let gDecay = coupled ? wd : 0
    let θDecay = coupled ? 0 : lr * wd
    let (b1V, a1V, b2V, a2V) = (V(repeating: b1), V(repeating: 1 - b1), V(repeating: b2), V(repeating: 1 - b2))
    let (stepV, cV, epsV) = (V(repeating: stepSize), V(repeating: invSqrtC2), V(repeating: eps))
    let (gDecayV, θDecayV) = (V(repeating: gDecay), V(repeating: θDecay))
    var i = r.lowerBound
    while i + 8 <= r.upperBound {
      var θi = V(load: θ + i)
      let gi = V(load: g + i) + gDecayV * θi
      θi = θi - θDecayV * θi
      let mi = b1V * V(load: m + i) + a1V * gi
      let vi = b2V * V(load: v + i) + a2V * gi * gi
      (θi - stepV * mi / (vi.squareRoot() * cV + epsV)).store(to: θ + i)
      mi.store(to: m + i)
      vi.store(to: v + i)
      i += 8
    }
    while i < r.upperBound {
      var θi = θ[i]
      let gi = g[i] + gDecay * θi
      θi = θi - θDecay * θi
      let mi = b1 * m[i] + (1 - b1) * gi
      let vi = b2 * v[i] + (1 - b2) * gi * gi
      θ[i] = θi - stepSize * mi / (vi.squareRoot() * invSqrtC2 + eps)
      m[i] = mi
      v[i] = vi
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
