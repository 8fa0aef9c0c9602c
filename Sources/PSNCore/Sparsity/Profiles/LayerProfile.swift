/// A profile built for one layer: the fan-in of every neuron and what produced it.
public struct LayerProfile: Sendable, Equatable, Codable {
  public let family: ProfileFamily
  public let nIn: Int
  public let nOut: Int
  /// The layer's number of connections, Σ fanIns.
  public let budget: Int
  /// k_j for neuron j = 0 … n_out − 1, after placement; each in [1, n_in].
  public let fanIns: [Int]
  /// CV of `fanIns` (population std / mean).
  public let achievedCV: Double
  /// The `cv=` asked for, if any.
  public let targetCV: Double?
  /// Every parameter of the family with the value used, the solved shape parameter included.
  public let parameters: [String: Double]

  public var statistics: FanInStatistics { FanInStatistics(fanIns) }
}
