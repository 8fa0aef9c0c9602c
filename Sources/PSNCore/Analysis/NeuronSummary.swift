/// One neuron's place in its layer's gradient hierarchy, as `show neuron` and `show hubs` report
/// it (docs/analysis.md "One neuron"). Neuron j of layer l is output j of W_l; both 0-based here.
public struct NeuronSummary: Sendable, Equatable {
  public var layer: Int
  public var neuron: Int
  /// k_j at the end of the analysis window.
  public var fanIn: Int
  /// G_j, the window-mean L2 norm of the loss gradient over the neuron's active incoming weights.
  public var gradientNorm: Double
  /// G_j / Σ_i G_i (0 when every G is 0).
  public var gradientShare: Double
  /// G_j / mean_i G_i: the neuron's own concentration (the layer's concentration is the mean of
  /// this over the hubs). NaN when every G is 0.
  public var relativeGradient: Double
  /// 1 for the largest fan-in; ties go to the lower index (the order that picks the hubs).
  public var fanInRank: Int
  /// 1 for the largest G; ties go to the lower index.
  public var gradientRank: Int
  /// Whether the neuron is among the layer's ⌈q·n⌉ hubs (fanInRank ≤ ⌈q·n⌉).
  public var isHub: Bool
  /// ‖W_{j,·}‖₂ over the active incoming weights, at the end of the window.
  public var weightNorm: Double
  /// Share of the window's samples with the ReLU on; nil for the logit layer.
  public var activationRate: Double?
}

extension LayerNeuronStatistics {
  /// Neuron j's summary, with hubs taken at hub fraction q.
  public func summary(of j: Int, hubFraction q: Double = 0.1) -> NeuronSummary {
    summaries(of: [j], hubFraction: q)[0]
  }

  /// The summaries of `neurons`, in that order (ranks computed once for all of them).
  public func summaries(of neurons: [Int], hubFraction q: Double = 0.1) -> [NeuronSummary] {
    let g = gradientNorms
    let total = g.reduce(0, +)
    let mean = runningMean(g)
    let byFanIn = Self.ranks(fanInOrder)
    let byGradient = Self.ranks(g.indices.sorted { g[$0] != g[$1] ? g[$0] > g[$1] : $0 < $1 })
    let hubCount = hubCount(fraction: q)
    return neurons.map { j in
      NeuronSummary(
        layer: layer, neuron: j, fanIn: fanIns[j], gradientNorm: g[j],
        gradientShare: total > 0 ? g[j] / total : 0, relativeGradient: mean > 0 ? g[j] / mean : .nan,
        fanInRank: byFanIn[j], gradientRank: byGradient[j], isHub: byFanIn[j] <= hubCount,
        weightNorm: weightNorms[j], activationRate: activationRates?[j])
    }
  }

  /// The `count` neurons of largest fan-in (the hubs first, in fan-in order).
  public func topByFanIn(_ count: Int, hubFraction q: Double = 0.1) -> [NeuronSummary] {
    summaries(of: Array(fanInOrder.prefix(max(0, count))), hubFraction: q)
  }

  /// rank[order[i]] = i + 1.
  private static func ranks(_ order: [Int]) -> [Int] {
    var rank = [Int](repeating: 0, count: order.count)
    for (i, j) in order.enumerated() { rank[j] = i + 1 }
    return rank
  }
}
