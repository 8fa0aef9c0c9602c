import Foundation

/// One metric over a group of runs (the seeds of one configuration, usually) and its summary:
/// n, mean, sample standard deviation and the confidence interval of the mean
/// (`SampleSummary`, docs/statistics.md).
///
/// Runs are ordered by seed, then uuid, so the same runs give the same sample — and bit for bit
/// the same summary — in whatever order they were stored or merged.
public struct MetricSample: Sendable, Equatable {
  /// The runs that have the metric, in sample order.
  public var runs: [UUID]
  public var seeds: [UInt64]
  public var values: [Double]
  /// Runs of the group without a value for the metric (no test set, interrupted before the first
  /// epoch, a layer metric without neuron statistics).
  public var missing: Int
  /// nil when no run has the metric.
  public var mean: Double?
  /// s with divisor n − 1; nil when n < 2.
  public var standardDeviation: Double?
  /// x̄ ± t_{(1+level)/2, n−1} · s/√n; nil when n < 2.
  public var confidenceInterval: ClosedRange<Double>?
  public var level: Double

  public var n: Int { values.count }

  public init(_ runs: [RunRecord], metric: RunMetric, level: Double = 0.95) throws(ResultsError) {
    guard level > 0, level < 1 else { throw .invalidConfidenceLevel(level) }
    let ordered = runs.sorted { ($0.seed, $0.uuid.uuidString) < ($1.seed, $1.uuid.uuidString) }
    let measured = ordered.compactMap { run in metric.value(of: run).map { (run, $0) } }
    self.runs = measured.map(\.0.uuid)
    seeds = measured.map(\.0.seed)
    values = measured.map(\.1)
    missing = runs.count - measured.count
    self.level = level
    switch values.count {
    case 0: break
    case 1: mean = values[0]
    default:
      // Values are finite (RunMetric returns nil otherwise) and n ≥ 2: SampleSummary cannot fail.
      let summary = try? SampleSummary(values)
      mean = summary?.mean
      standardDeviation = summary?.standardDeviation
      confidenceInterval = try? summary?.confidenceInterval(level: level)
    }
  }
}
