/// `analyze equilibrium`: where several dynamic sparse runs started and ended, layer by layer,
/// and how alike their final fan-in distributions are (docs/rigl.md "Comparing runs").
public struct EquilibriumComparison: Sendable {
  /// One run's layer.
  public struct Entry: Sendable, Equatable {
    public var label: String
    /// The starting masks (update 0) and the last update.
    public var start: FanInTrajectory.Point
    public var final: FanInTrajectory.Point
    public var verdict: FanInTrajectory.Verdict
  }

  /// 0-based layer index.
  public let layer: Int
  public let entries: [Entry]
  /// The largest Kolmogorov–Smirnov distance between two runs' *normalised* fan-ins k_j / mean k
  /// at the end, and at the start: scale-free, so runs whose allocation gave the layer different
  /// densities (ERK against uniform) compare by shape. Nil with fewer than two runs.
  public let maxFinalDistance: Double?
  public let maxStartDistance: Double?

  /// Layer `layer` of each run that has it sparse (runs where it is dense are left out).
  public init(
    layer: Int, runs: [(label: String, trajectory: FanInTrajectory)],
    criterion: FanInTrajectory.Criterion = FanInTrajectory.Criterion()
  ) {
    self.layer = layer
    var entries: [Entry] = []
    var starts: [[Double]] = []
    var finals: [[Double]] = []
    for (label, t) in runs {
      guard let points = t.layers[layer], let first = points.first, let last = points.last,
        let verdict = t.verdicts(criterion).first(where: { $0.layer == layer })
      else { continue }
      entries.append(Entry(label: label, start: first, final: last, verdict: verdict))
      starts.append(Self.normalised(t.fanIns(update: 0, layer: layer)))
      finals.append(Self.normalised(t.finalFanIns[layer] ?? []))
    }
    self.entries = entries
    maxStartDistance = Self.maxPairwiseKS(starts)
    maxFinalDistance = Self.maxPairwiseKS(finals)
  }

  /// k_j / mean k (all zeros stay zeros).
  static func normalised(_ k: [Int]) -> [Double] {
    let mean = Double(k.reduce(0, +)) / Double(max(k.count, 1))
    return k.map { mean > 0 ? Double($0) / mean : 0 }
  }

  static func maxPairwiseKS(_ samples: [[Double]]) -> Double? {
    guard samples.count >= 2 else { return nil }
    var d = 0.0
    for a in samples.indices {
      for b in samples.indices where b > a {
        guard let ab = try? Statistics.ksDistance(samples[a], samples[b]) else { return nil }
        d = max(d, ab)
      }
    }
    return d
  }
}

extension FanInTrajectory {
  /// Every neuron's fan-in in `layer` after update `u` (update 0 = the starting masks); empty when
  /// the run has no such update or layer.
  public func fanIns(update u: Int, layer: Int) -> [Int] {
    guard records.indices.contains(u) else { return [] }
    return records[u].layers.first { $0.layer == layer }?.fanIns ?? []
  }
}
