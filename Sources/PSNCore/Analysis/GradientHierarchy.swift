/// The gradient hierarchy of one layer (docs/analysis.md, DESIGN.md §3 "Gradient hierarchy").
public struct LayerHierarchy: Sendable, Equatable, Codable {
  public var layer: Int
  /// Neuron indices of the hubs: the top `hubFraction` of neurons by fan-in, at least one
  /// (ties in fan-in broken by lower neuron index).
  public var hubs: [Int]
  /// Concentration = mean G over the hubs / mean G over all neurons of the layer.
  public var concentration: Double
  /// Pearson correlation between fan-in and G across the layer's neurons (nil when either is
  /// constant, e.g. a dense layer).
  public var fanInGradientCorrelation: Double?
  /// Two-sided p-value of that correlation (t test on n − 2 degrees of freedom; nil with it).
  public var fanInGradientPValue: Double?
  /// Every neuron's G_j / Σ_i G_i.
  public var gradientShares: [Double]
}

extension LayerNeuronStatistics {
  /// Neuron indices from largest to smallest fan-in, ties broken by lower index: the order that
  /// defines the hubs and the fan-in rank.
  public var fanInOrder: [Int] {
    fanIns.indices.sorted { fanIns[$0] != fanIns[$1] ? fanIns[$0] > fanIns[$1] : $0 < $1 }
  }

  /// ⌈q·n⌉ clamped to [1, n]: how many neurons are hubs at hub fraction q.
  public func hubCount(fraction q: Double = 0.1) -> Int {
    let n = fanIns.count
    return max(1, min(n, Int((q * Double(n)).rounded(.up))))
  }

  /// The hubs: ⌈q·n⌉ neurons of largest fan-in (at least 1), ties broken by lower index.
  public func hubs(fraction q: Double = 0.1) -> [Int] {
    fanInOrder.prefix(hubCount(fraction: q)).sorted()
  }

  /// Concentration, correlation and shares for this layer.
  public func hierarchy(hubFraction q: Double = 0.1) -> LayerHierarchy {
    let hubs = hubs(fraction: q)
    let g = gradientNorms
    let total = g.reduce(0, +)
    let mean = runningMean(g)
    let hubMean = runningMean(hubs.map { g[$0] })
    let correlation = try? Statistics.pearson(fanIns.map(Double.init), g)
    return LayerHierarchy(
      layer: layer, hubs: hubs, concentration: mean > 0 ? hubMean / mean : .nan,
      fanInGradientCorrelation: correlation?.r, fanInGradientPValue: correlation?.pValue,
      gradientShares: g.map { total > 0 ? $0 / total : 0 })
  }
}

/// Mean by the running update m ← m + (x − m)/k, which is exact when every value is equal, so
/// identical neurons give a concentration of exactly 1.
func runningMean(_ x: [Double]) -> Double {
  var m = 0.0
  for (k, v) in x.enumerated() { m += (v - m) / Double(k + 1) }
  return m
}
