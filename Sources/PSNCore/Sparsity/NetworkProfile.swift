/// A profile applied to a whole network: a global sparsity split over layers by an allocation,
/// and a per-layer profile that sets each neuron's fan-in inside its layer's budget.
public struct NetworkProfileSpec: Sendable, Equatable, Codable {
  public var profile: ProfileSpec
  public var sparsity: Double
  public var allocation: Allocation
  /// Layers (0-based) kept dense and outside the budget; nil = the default for the allocation:
  /// the logit layer for `uniform` (as RigL's MNIST setup), none for `erk` (ERK caps small layers
  /// itself).
  public var keepDense: Set<Int>?
  /// Layers (0-based) the profile shapes; the other sparse layers get the uniform random baseline
  /// at their budget. nil = every sparse layer.
  public var profiledLayers: Set<Int>?
  public var seed: UInt64
  /// Per-layer profiles that replace `profile` on those layers (e.g. the equilibrium profile's
  /// per-layer lognormal σ).
  public var layerProfiles: [Int: ProfileSpec] = [:]
  /// Explicit active-weight counts per layer (nil = dense) that replace the allocation, e.g. to
  /// match another run's masks layer by layer.
  public var layerBudgets: [Int?]? = nil

  public init(
    profile: ProfileSpec, sparsity: Double, allocation: Allocation = .uniform,
    keepDense: Set<Int>? = nil, profiledLayers: Set<Int>? = nil, seed: UInt64 = 1
  ) {
    self.profile = profile
    self.sparsity = sparsity
    self.allocation = allocation
    self.keepDense = keepDense
    self.profiledLayers = profiledLayers
    self.seed = seed
  }

  private enum CodingKeys: String, CodingKey {
    case profile, sparsity, allocation, keepDense, profiledLayers, seed, layerProfiles, layerBudgets
  }

  /// The synthesized encoding, but with the sets in layer order: synthesized code writes a set in
  /// hash order, which changes from process to process, so two saves of the same workspace would
  /// differ. Same format, so `init(from:)` stays synthesized.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(profile, forKey: .profile)
    try c.encode(sparsity, forKey: .sparsity)
    try c.encode(allocation, forKey: .allocation)
    try c.encodeIfPresent(keepDense?.sorted(), forKey: .keepDense)
    try c.encodeIfPresent(profiledLayers?.sorted(), forKey: .profiledLayers)
    try c.encode(seed, forKey: .seed)
    // Int keys become JSON object keys, which the archive's encoder sorts.
    try c.encode(layerProfiles, forKey: .layerProfiles)
    try c.encodeIfPresent(layerBudgets, forKey: .layerBudgets)
  }

  /// The dense layers this spec uses for a network of `layerCount` layers.
  public func denseLayers(layerCount: Int) -> Set<Int> {
    keepDense ?? (allocation == .uniform ? [layerCount - 1] : [])
  }

  /// Builds every layer's mask for the widths `sizes` (input first).
  public func build(sizes: [Int]) throws -> NetworkProfile {
    let shapes = zip(sizes, sizes.dropFirst()).map { (nIn: $0, nOut: $1) }
    if profile.family == .dense {
      return NetworkProfile(spec: self, masks: shapes.map { _ in nil }, layers: shapes.map { _ in nil }, budget: LayerBudget(nnz: shapes.map { _ in nil }, raisedToOnePerNeuron: []))
    }
    for l in profiledLayers ?? [] where !shapes.indices.contains(l) {
      throw BudgetError.layer(l + 1, count: shapes.count)
    }
    let budget: LayerBudget
    if let given = layerBudgets {
      guard given.count == shapes.count else { throw BudgetError.layer(given.count, count: shapes.count) }
      budget = LayerBudget(nnz: given, raisedToOnePerNeuron: [])
    } else {
      budget = try LayerBudget.allocate(
        shapes: shapes, sparsity: sparsity, allocation: allocation,
        keepDense: denseLayers(layerCount: shapes.count))
    }
    var masks: [Mask?] = []
    var layers: [LayerProfile?] = []
    let baseline = try ProfileSpec(family: .random)
    for (l, shape) in shapes.enumerated() {
      guard let nnz = budget.nnz[l] else {
        masks.append(nil)
        layers.append(nil)
        continue
      }
      let spec = layerProfiles[l] ?? ((profiledLayers?.contains(l) ?? true) ? profile : baseline)
      do {
        let (mask, layerProfile) = try spec.mask(nIn: shape.nIn, nOut: shape.nOut, budget: nnz, seed: seed, layer: l)
        masks.append(mask)
        layers.append(layerProfile)
      } catch {
        throw NetworkProfileError(layer: l, nIn: shape.nIn, nOut: shape.nOut, underlying: error)
      }
    }
    return NetworkProfile(spec: self, masks: masks, layers: layers, budget: budget)
  }
}

/// The masks a `NetworkProfileSpec` built, with each layer's profile (nil where dense).
public struct NetworkProfile: Sendable, Equatable {
  public var spec: NetworkProfileSpec
  public var masks: [Mask?]
  public var layers: [LayerProfile?]
  public var budget: LayerBudget

  /// Achieved sparsity over the sparse layers.
  public var sparsity: Double {
    let sparse = masks.compactMap { $0 }
    guard !sparse.isEmpty else { return 0 }
    return 1 - Double(sparse.reduce(0) { $0 + $1.nnz }) / Double(sparse.reduce(0) { $0 + $1.nIn * $1.nOut })
  }
}

/// A profile failed on one layer: says which, then why.
public struct NetworkProfileError: Error, CustomStringConvertible {
  public var layer: Int
  public var nIn: Int
  public var nOut: Int
  public var underlying: any Error
  public var description: String { "layer \(layer + 1) (\(nIn)→\(nOut)): \(underlying)" }
}
