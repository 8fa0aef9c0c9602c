/// `compare A B`: one metric over two groups of runs, with the tests of docs/statistics.md.
///
/// - difference = x̄_A − x̄_B;
/// - Welch's t-test (two-sided p), Cohen's d and Hedges' g with the pooled standard deviation;
/// - the paired t-test on the per-seed differences when both groups ran exactly the same seeds,
///   each once (the usual case when two configurations share a seed list).
/// A test that is undefined for the data (fewer than two runs, no variation) holds the
/// `StatisticsError` that says why, instead of a number.
public struct RunComparison: Sendable, Equatable {
  public var metric: RunMetric
  public var a: MetricSample
  public var b: MetricSample
  /// nil when either group has no value.
  public var difference: Double?
  public var welch: Result<TTestResult, StatisticsError>
  public var cohensD: Result<Double, StatisticsError>
  public var hedgesG: Result<Double, StatisticsError>
  /// nil when the groups' seeds differ (then only the unpaired tests apply).
  public var paired: Result<TTestResult, StatisticsError>?

  public init(_ a: [RunRecord], _ b: [RunRecord], metric: RunMetric = .testAccuracy, level: Double = 0.95)
    throws(ResultsError)
  {
    self.metric = metric
    let (first, second) = (try MetricSample(a, metric: metric, level: level), try MetricSample(b, metric: metric, level: level))
    (self.a, self.b) = (first, second)
    let (x, y) = (first.values, second.values)
    difference = first.mean.flatMap { ma in second.mean.map { ma - $0 } }
    welch = Self.attempt { try Statistics.welchTTest(x, y) }
    cohensD = Self.attempt { try Statistics.cohensD(x, y) }
    hedgesG = Self.attempt { try Statistics.hedgesG(x, y) }
    // Samples are ordered by seed, so equal seed lists pair value i of A with value i of B.
    let sameSeeds = first.seeds == second.seeds && Set(first.seeds).count == first.seeds.count
    paired = sameSeeds ? Self.attempt { try Statistics.pairedTTest(x, y) } : nil
  }

  /// The statistic, or the StatisticsError it threw (the only error Statistics throws).
  public static func attempt<T>(_ body: () throws -> T) -> Result<T, StatisticsError> {
    do {
      return .success(try body())
    } catch let error as StatisticsError {
      return .failure(error)
    } catch {
      return .failure(.invalidParameter(statistic: "\(error)", name: "input", value: .nan, requirement: "unexpected error"))
    }
  }
}
