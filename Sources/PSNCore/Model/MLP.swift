/// A multilayer perceptron: ReLU after every hidden layer, linear logits trained with softmax
/// cross-entropy (DESIGN.md §3 "Training").
public struct MLP: Sendable, Equatable {
  /// Layer widths, input first: e.g. [784, 300, 100, 10].
  public let sizes: [Int]
  public var layers: [Layer]

  public var inputCount: Int { sizes[0] }
  public var classCount: Int { sizes[sizes.count - 1] }
  /// Stored parameters: weights (active only) and biases.
  public var parameterCount: Int { layers.reduce(0) { $0 + $1.weightCount + $1.nOut } }

  /// Weights over all layers, active / possible.
  public var overallDensity: Double {
    Double(layers.reduce(0) { $0 + $1.weightCount }) / Double(layers.reduce(0) { $0 + $1.nIn * $1.nOut })
  }

  /// Sparsity s over the sparse layers only (DESIGN.md §3): fraction of zero weights in the
  /// layers that carry a mask; 0 for a dense network.
  public var sparsity: Double {
    let sparse = layers.filter(\.isSparse)
    guard !sparse.isEmpty else { return 0 }
    let active = sparse.reduce(0) { $0 + $1.weightCount }
    let total = sparse.reduce(0) { $0 + $1.nIn * $1.nOut }
    return 1 - Double(active) / Double(total)
  }

  /// A network with the given widths and masks (nil = dense layer), Kaiming-initialised with
  /// each neuron's own fan-in from `seed` (see `initialize`).
  public init(sizes: [Int], masks: [Mask?]? = nil, seed: UInt64) throws(ModelError) {
    guard sizes.count >= 2 else { throw .architecture("an MLP needs at least an input and an output width") }
    guard sizes.allSatisfy({ $0 > 0 }) else { throw .architecture("layer widths must be positive, got \(sizes.map(String.init).joined(separator: ","))") }
    let masks = masks ?? Array(repeating: nil, count: sizes.count - 1)
    guard masks.count == sizes.count - 1 else { throw .architecture("expected \(sizes.count - 1) masks, got \(masks.count)") }
    for (l, m) in masks.enumerated() {
      if let m, m.nIn != sizes[l] || m.nOut != sizes[l + 1] {
        throw .architecture("mask \(l + 1) is \(m.nOut)×\(m.nIn), layer \(l + 1) is \(sizes[l + 1])×\(sizes[l])")
      }
    }
    self.sizes = sizes
    layers = (0..<sizes.count - 1).map { Layer(nIn: sizes[$0], nOut: sizes[$0 + 1], mask: masks[$0]) }
    initialize(seed: seed)
  }

  /// Fan-in-aware Kaiming initialisation: every active weight of neuron j in layer l is drawn
  /// from N(0, gain / k_j), k_j being that neuron's own fan-in, with gain 2 for layers followed
  /// by a ReLU (He et al. 2015) and gain 1 for the logit layer; biases start at 0.
  ///
  /// Using each neuron's own fan-in (rather than the layer's mean) keeps every neuron's
  /// pre-activation variance equal whatever the profile, so hubs and sparse neurons start on the
  /// same scale (as rigl_tf2's `unit_scaled_init`). Layer l draws from the stream "init.l" of
  /// `seed`, in CSR order, so the same seed gives bit-identical weights.
  public mutating func initialize(seed: UInt64) {
    for l in layers.indices {
      var rng = PSNRandom(seed: seed, stream: "init.\(l + 1)")
      let gain: Double = l == layers.count - 1 ? 1 : 2
      let layer = layers[l]
      var w = [Float](repeating: 0, count: layer.weightCount)
      var p = 0
      for j in 0..<layer.nOut {
        let k = layer.mask?.fanIn(j) ?? layer.nIn
        let std = (gain / Double(max(k, 1))).squareRoot()
        for _ in 0..<k {
          w[p] = Float(rng.nextNormal() * std)
          p += 1
        }
      }
      layers[l].weights = w
      layers[l].bias = [Float](repeating: 0, count: layer.nOut)
    }
  }

  /// The masks of every layer (nil where dense).
  public var masks: [Mask?] { layers.map(\.mask) }
}

public enum ModelError: Error, CustomStringConvertible, Equatable {
  case architecture(String)
  case mismatch(String)
  public var description: String {
    switch self {
    case .architecture(let m): return "invalid model: \(m)"
    case .mismatch(let m): return m
    }
  }
}
