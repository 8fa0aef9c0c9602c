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
    learningRate: Double, t: Int, decay: Bool
  ) {
    let lr = Float(learningRate)
    let wd = decay ? Float(weightDecay) : 0
    switch kind {
    case .sgd:
      let mu = Float(momentum)
      if mu == 0 {
        for i in 0..<count { θ[i] -= lr * (g[i] + wd * θ[i]) }
      } else if nesterov {
        for i in 0..<count {
          let gi = g[i] + wd * θ[i]
          m[i] = mu * m[i] + gi
          θ[i] -= lr * (gi + mu * m[i])
        }
      } else {
        for i in 0..<count {
          m[i] = mu * m[i] + g[i] + wd * θ[i]
          θ[i] -= lr * m[i]
        }
      }
    case .adam, .adamw:
      guard let v else { preconditionFailure("Adam needs a second-moment buffer") }
      let b1 = Float(beta1)
      let b2 = Float(beta2)
      let c1 = Float(1 - Foundation.pow(beta1, Double(t)))
      let c2 = Float(1 - Foundation.pow(beta2, Double(t)))
      let eps = Float(epsilon)
      let stepSize = lr / c1
      let invSqrtC2 = 1 / c2.squareRoot()
      let coupled = kind == .adam
      for i in 0..<count {
        var gi = g[i]
        if coupled { gi += wd * θ[i] } else { θ[i] -= lr * wd * θ[i] }
        m[i] = b1 * m[i] + (1 - b1) * gi
        v[i] = b2 * v[i] + (1 - b2) * gi * gi
        θ[i] -= stepSize * m[i] / (v[i].squareRoot() * invSqrtC2 + eps)
      }
    }
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
    _ optimizer: Optimizer, to layer: inout Layer, weightGradients: [Float], biasGradients: [Float], learningRate: Double, t: Int
  ) {
    func update(_ θ: inout [Float], _ g: [Float], _ m: inout [Float], _ v: inout [Float], decay: Bool) {
      θ.withUnsafeMutableBufferPointer { θp in
        g.withUnsafeBufferPointer { gp in
          m.withUnsafeMutableBufferPointer { mp in
            v.withUnsafeMutableBufferPointer { vp in
              optimizer.step(
                parameters: θp.baseAddress!, gradients: gp.baseAddress!, m: mp.baseAddress!,
                v: vp.baseAddress, count: θp.count, learningRate: learningRate, t: t, decay: decay)
            }
          }
        }
      }
    }
    update(&layer.weights, weightGradients, &weightM, &weightV, decay: true)
    update(&layer.bias, biasGradients, &biasM, &biasV, decay: false)
  }
}
