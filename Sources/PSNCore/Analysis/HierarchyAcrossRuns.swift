/// `analyze hierarchy`: one layer's gradient concentration against its fan-in CV across runs, and
/// how strongly they go together (docs/analysis.md "Across runs") — the measurement behind the
/// paper's r = 0.93.
///
/// Runs may be grouped (runs of the same masks with different seeds): each group is then one
/// point at the means of its runs' CV and concentration, and the correlation is over the groups.
/// A single run's concentration carries sampling noise (a layer's top decile is a few dozen
/// neurons), which averaging over seeds removes.
public struct HierarchyAcrossRuns: Sendable {
  /// One run's layer.
  public struct Point: Sendable, Equatable {
    /// How the caller names the run.
    public var label: String
    /// CV = std / mean of the layer's fan-ins at the end of the run's analysis window.
    public var fanInCV: Double
    /// mean G over the hubs / mean G over the layer, at hub fraction q.
    public var concentration: Double
    /// Pearson r between fan-in and G across the layer's neurons (nil when either is constant).
    public var fanInGradientCorrelation: Double?
  }

  /// Runs that share a group name.
  public struct Group: Sendable, Equatable {
    public var name: String
    /// Indices into `points`, in the order given.
    public var members: [Int]
    /// Means over the members.
    public var fanInCV: Double
    public var concentration: Double
    /// Sample standard deviation (n − 1) of the members' concentrations; nil for one member.
    public var concentrationSD: Double?
  }

  /// 0-based layer index.
  public let layer: Int
  public let points: [Point]
  /// The groups in order of first appearance; one group per run when no grouping was asked for.
  public let groups: [Group]
  /// Pearson's r between fan-in CV and concentration over the groups, with its p-value.
  public let pearson: Result<Correlation, StatisticsError>
  /// Spearman's ρ (rank correlation: does concentration rise with CV at all?), with its p-value.
  public let spearman: Result<Correlation, StatisticsError>

  /// Layer `layer` of each run's neuron statistics; hubs at fraction q. `group` names each run's
  /// group (nil: every run is its own group).
  public init(
    layer: Int, runs: [(label: String, statistics: LayerNeuronStatistics)], hubFraction q: Double = 0.1,
    groups names: [String]? = nil
  ) {
    precondition(names.map { $0.count == runs.count } ?? true, "one group name per run")
    self.layer = layer
    let points = runs.map { label, s in
      let h = s.hierarchy(hubFraction: q)
      return Point(
        label: label, fanInCV: FanInStatistics.cv(of: s.fanIns), concentration: h.concentration,
        fanInGradientCorrelation: h.fanInGradientCorrelation)
    }
    self.points = points
    let keys = names ?? points.map(\.label)
    var order: [String] = []
    var members: [String: [Int]] = [:]
    for (i, key) in keys.enumerated() {
      if members[key] == nil { order.append(key) }
      members[key, default: []].append(i)
    }
    groups = order.map { name in
      let m = members[name]!
      let concentrations = m.map { points[$0].concentration }
      return Group(
        name: name, members: m, fanInCV: runningMean(m.map { points[$0].fanInCV }),
        concentration: runningMean(concentrations),
        concentrationSD: m.count > 1 ? (try? Statistics.standardDeviation(concentrations)) : nil)
    }
    let x = groups.map(\.fanInCV)
    let y = groups.map(\.concentration)
    pearson = Self.capture { try Statistics.pearson(x, y) }
    spearman = Self.capture { try Statistics.spearman(x, y) }
  }

  private static func capture(_ f: () throws -> Correlation) -> Result<Correlation, StatisticsError> {
    do {
      return .success(try f())
    } catch let e as StatisticsError {
      return .failure(e)
    } catch {
      preconditionFailure("Statistics throws only StatisticsError, got \(error)")
    }
  }
}
