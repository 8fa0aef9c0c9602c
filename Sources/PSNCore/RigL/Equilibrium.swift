/// The fan-in trajectory of a dynamic sparse training run and its equilibrium (docs/rigl.md
/// "Equilibrium").
public struct FanInTrajectory: Sendable, Equatable {
  /// One point per mask update (update 0 = the starting masks) for one layer.
  public struct Point: Sendable, Equatable, Codable {
    public var update: Int
    public var step: Int
    public var mean: Double
    public var cv: Double
    public var gini: Double
    /// Lognormal fit of the positive fan-ins (μ, σ of ln k).
    public var mu: Double
    public var sigma: Double
    /// Kolmogorov–Smirnov distance to the previous update's fan-in distribution (nil at update 0).
    public var ksToPrevious: Double?
    public var churn: Double
    public var dropped: Int
    public var grown: Int
    public var regrown: Int
  }

  /// The verdict for one layer.
  public struct Verdict: Sendable, Equatable, Codable {
    public var layer: Int
    public var converged: Bool
    /// First update from which the distribution stayed within tolerance of its final state.
    public var stableFromUpdate: Int
    public var stableFromStep: Int
    /// Σ churn over the updates after u*: how many times over the layer's connections were
    /// replaced while the distribution stayed put.
    public var stableTurnover: Double
    public var updates: Int
    public var finalCV: Double
    public var finalSigma: Double
    public var finalMu: Double
  }

  /// Tolerances of the equilibrium criterion.
  public struct Criterion: Sendable, Equatable, Codable {
    /// |CV_u − CV_final| ≤ max(cvAbsolute, cvRelative · CV_final)
    public var cvAbsolute = 0.02
    public var cvRelative = 0.05
    /// |σ_u − σ_final| ≤ sigma
    public var sigma = 0.05
    /// KS(F_u, F_final) ≤ ks
    public var ks = 0.05
    /// Converged only if, over the stable stretch, at least this many times the layer's
    /// connections were replaced (Σ churn): the distribution must hold still while the mask keeps
    /// turning over. The cosine-annealed drop fraction goes to 0 at T_end, so a stretch of the last
    /// few, nearly frozen updates — which any run has — is not enough.
    public var minimumTurnover = 0.5
    public init() {}
  }

  public var layers: [Int: [Point]]
  /// Final fan-ins per layer.
  public var finalFanIns: [Int: [Int]]

  public init(_ records: [MaskUpdateRecord]) {
    var layers: [Int: [Point]] = [:]
    var previous: [Int: [Int]] = [:]
    for (u, record) in records.enumerated() {
      for l in record.layers {
        let stats = FanInStatistics(l.fanIns)
        let fit = FanInStatistics.LognormalFit(l.fanIns)
        layers[l.layer, default: []].append(Point(
          update: u, step: record.step, mean: stats.mean, cv: stats.cv, gini: stats.gini,
          mu: fit?.mu ?? .nan, sigma: fit?.sigma ?? .nan,
          ksToPrevious: previous[l.layer].map { FanInStatistics.ksDistance($0, l.fanIns) },
          churn: l.churn, dropped: l.dropped, grown: l.grown, regrown: l.regrown))
        previous[l.layer] = l.fanIns
      }
    }
    self.layers = layers
    finalFanIns = previous
    self.records = records
  }

  let records: [MaskUpdateRecord]

  /// Per layer: the first update u* such that every update from u* on has CV, σ and KS distance
  /// within the criterion's tolerances of the final update; converged when the masks turned over
  /// at least `minimumTurnover` times within that stretch.
  public func verdicts(_ c: Criterion = Criterion()) -> [Verdict] {
    layers.keys.sorted().map { l in
      let points = layers[l]!
      let last = points.last!
      let final = finalFanIns[l]!
      var stable = points.count - 1
      var u = points.count - 2
      while u >= 0 {
        let p = points[u]
        let fanIns = records[p.update].layers.first { $0.layer == l }!.fanIns
        let within = abs(p.cv - last.cv) <= max(c.cvAbsolute, c.cvRelative * last.cv)
          && abs(p.sigma - last.sigma) <= c.sigma
          && FanInStatistics.ksDistance(fanIns, final) <= c.ks
        if !within { break }
        stable = u
        u -= 1
      }
      let updates = points.count - 1  // update 0 is the starting point
      let turnover = points[(stable + 1)...].reduce(0) { $0 + $1.churn }
      return Verdict(
        layer: l, converged: updates >= 2 && turnover >= c.minimumTurnover,
        stableFromUpdate: points[stable].update, stableFromStep: points[stable].step,
        stableTurnover: turnover, updates: updates, finalCV: last.cv, finalSigma: last.sigma,
        finalMu: last.mu)
    }
  }
}

extension NetworkProfileSpec {
  /// `profile equilibrium from=RUN`: lognormal masks matched layer by layer to the masks a run
  /// ended with — each sparse layer keeps the run's active count, and its fan-ins follow lognormal
  /// quantiles with σ = the maximum-likelihood σ of the run's final fan-ins in that layer.
  public static func equilibrium(matching masks: [Mask?], seed: UInt64) throws -> NetworkProfileSpec {
    try equilibrium(matchingFanIns: masks.map { $0?.fanIns }, shapes: masks.map { $0.map { ($0.nIn, $0.nOut) } }, seed: seed)
  }

  /// The same from each layer's final fan-ins (nil for dense layers) and shape (n_in, n_out), as a
  /// run's last mask-update record holds them.
  public static func equilibrium(
    matchingFanIns fanIns: [[Int]?], shapes: [(nIn: Int, nOut: Int)?], seed: UInt64
  ) throws -> NetworkProfileSpec {
    var layerProfiles: [Int: ProfileSpec] = [:]
    for (l, k) in fanIns.enumerated() {
      guard let k, let fit = FanInStatistics.LognormalFit(k) else { continue }
      layerProfiles[l] = try ProfileSpec(family: .lognormal, parameters: ["sigma": fit.sigma])
    }
    let budgets = fanIns.map { $0?.reduce(0, +) }
    let active = budgets.compactMap { $0 }.reduce(0, +)
    let possible = zip(budgets, shapes).reduce(0) { $0 + ($1.0 != nil ? ($1.1.map { $0.nIn * $0.nOut } ?? 0) : 0) }
    let sparsity = possible == 0 ? 0 : 1 - Double(active) / Double(possible)
    var spec = NetworkProfileSpec(
      profile: try ProfileSpec(family: .lognormal), sparsity: sparsity, allocation: .uniform, seed: seed)
    spec.layerProfiles = layerProfiles
    spec.layerBudgets = budgets
    return spec
  }
}
