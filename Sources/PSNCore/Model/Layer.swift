/// One fully connected layer y = W x + b with an optional connectivity mask.
///
/// Shapes: W is O×I (O = `nOut` neurons, I = `nIn` inputs), b has O entries.
/// A *dense* layer (`mask == nil`) stores W row-major, O·I values, and computes with GEMM.
/// A *sparse* layer stores only the K active weights, in the mask's CSR order, and computes on
/// that structure: inactive weights do not exist, so they, their gradients and their optimizer
/// state are exactly zero by construction (DESIGN.md §3 "Training").
public struct Layer: Sendable, Equatable {
  public let nIn: Int
  public let nOut: Int
  /// nil for a dense layer.
  public private(set) var mask: Mask? { didSet { inputBlocks = Self.sourceBlocks(of: mask) } }
  /// The inputs cut into blocks for the L1-blocked forward and weight-gradient kernels, where
  /// that pays (`SourceBlocks.ifPaying`); follows `mask`.
  public private(set) var inputBlocks: SourceBlocks?
  /// Dense: O·I values, row-major. Sparse: K values in CSR order of `mask`.
  public var weights: [Float]
  public var bias: [Float]

  public var isSparse: Bool { mask != nil }
  /// Number of stored (trainable) weights: O·I when dense, K when sparse.
  public var weightCount: Int { mask?.nnz ?? nIn * nOut }
  public var density: Double { Double(weightCount) / Double(nIn * nOut) }

  /// Fan-in k_j of every neuron (I for every neuron of a dense layer).
  public var fanIns: [Int] { mask?.fanIns ?? Array(repeating: nIn, count: nOut) }

  /// For every input i, how many of this layer's neurons read it (O for every input of a dense
  /// layer): the fan-out of the neurons of the layer below.
  public var fanOuts: [Int] {
    guard let mask else { return Array(repeating: nOut, count: nIn) }
    var counts = [Int](repeating: 0, count: nIn)
    for c in mask.columns { counts[Int(c)] += 1 }
    return counts
  }

  /// A zero-initialised layer; `mask == nil` or a mask with every connection makes it dense.
  public init(nIn: Int, nOut: Int, mask: Mask?) {
    precondition(mask.map { $0.nIn == nIn && $0.nOut == nOut } ?? true, "mask shape mismatch")
    self.nIn = nIn
    self.nOut = nOut
    self.mask = (mask?.isDense ?? true) ? nil : mask
    inputBlocks = Self.sourceBlocks(of: self.mask)
    weights = [Float](repeating: 0, count: self.mask?.nnz ?? nIn * nOut)
    bias = [Float](repeating: 0, count: nOut)
  }

  /// Builds a layer from explicit values (persistence, tests); validates the counts.
  public init(nIn: Int, nOut: Int, mask: Mask?, weights: [Float], bias: [Float]) {
    self.init(nIn: nIn, nOut: nOut, mask: mask)
    precondition(weights.count == self.weights.count && bias.count == nOut, "layer value counts")
    self.weights = weights
    self.bias = bias
  }

  /// Replaces the mask, carrying over the weights at positions active in both masks and setting
  /// the others to `fill`. Used by RigL (new connections start at 0) and when densifying.
  public mutating func replaceMask(_ newMask: Mask?, fill: Float = 0) {
    let dense = denseWeights()
    let m = (newMask?.isDense ?? true) ? nil : newMask
    mask = m
    if let m {
      var w = [Float](repeating: fill, count: m.nnz)
      for j in 0..<nOut {
        for p in Int(m.rowStart[j])..<Int(m.rowStart[j + 1]) {
          w[p] = dense[j * nIn + Int(m.columns[p])]
        }
      }
      weights = w
    } else {
      weights = dense
    }
  }

  /// Installs a sparse mask with its weights already in CSR order (RigL's in-place updates).
  mutating func setMask(_ newMask: Mask, weights newWeights: [Float]) {
    precondition(newMask.nIn == nIn && newMask.nOut == nOut && newWeights.count == newMask.nnz)
    mask = newMask
    weights = newWeights
  }

  static func sourceBlocks(of mask: Mask?) -> SourceBlocks? {
    guard let mask else { return nil }
    return mask.rowStart.withUnsafeBufferPointer { rs in
      mask.columns.withUnsafeBufferPointer { cols in
        SourceBlocks.ifPaying(rowStart: rs.baseAddress!, sources: cols.baseAddress ?? UnsafePointer(bitPattern: 8)!, rowCount: mask.nOut, sourceCount: mask.nIn)
      }
    }
  }

  /// W as a row-major O×I matrix with zeros at inactive positions.
  public func denseWeights() -> [Float] {
    guard let m = mask else { return weights }
    var w = [Float](repeating: 0, count: nIn * nOut)
    for j in 0..<nOut {
      for p in Int(m.rowStart[j])..<Int(m.rowStart[j + 1]) { w[j * nIn + Int(m.columns[p])] = weights[p] }
    }
    return w
  }

  /// The mask as an explicit object (a dense layer has the all-ones mask).
  public var effectiveMask: Mask { mask ?? Mask.dense(nIn: nIn, nOut: nOut) }

  /// The weights of neuron j's active incoming connections, with their input indices.
  public func incoming(_ j: Int) -> (inputs: [Int], weights: [Float]) {
    if let m = mask {
      let r = Int(m.rowStart[j])..<Int(m.rowStart[j + 1])
      return (r.map { Int(m.columns[$0]) }, Array(weights[r]))
    }
    return (Array(0..<nIn), Array(weights[j * nIn..<(j + 1) * nIn]))
  }
}
