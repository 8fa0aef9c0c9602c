import Foundation
import Testing

/// Reference values for psn's statistics, computed by scipy.stats/numpy.
///
/// Made by `python3 scripts/make-stat-fixtures.py`, which writes
/// `Fixtures/statistics/reference.json` (datasets and expected values together; the Swift tests
/// need no Python). Regenerate with the same command after changing a dataset; the scipy and
/// numpy versions used are recorded in the file. Cohen's d and Hedges' g have no scipy function:
/// the script evaluates their formulas with numpy and `math.lgamma` (see docs/statistics.md).
struct StatisticsFixture: Decodable {
  struct Sample: Decodable {
    var name: String
    var values: [Double]
    var mean, std, sem: Double
    var ci95: [Double]
  }
  struct TTest: Decodable {
    var t, df, p: Double
  }
  struct TwoSample: Decodable {
    var name: String
    var a, b: [Double]
    var welch, student: TTest
    var cohenD, hedgesG, ks: Double
  }
  struct Paired: Decodable {
    var name: String
    var a, b: [Double]
    var t, df, p: Double
  }
  struct Correlation: Decodable {
    var name: String
    var x, y: [Double]
    var pearsonR, pearsonP, spearmanRho, spearmanP: Double
  }
  struct KS: Decodable {
    var name: String
    var a, b: [Double]
    var statistic: Double
  }
  struct Lognormal: Decodable {
    var name: String
    var values: [Double]
    var mu, sigma: Double
  }
  struct TCDF: Decodable {
    var df, t, cdf, sf: Double
  }
  struct TQuantile: Decodable {
    var df, p, quantile: Double
  }

  var scipy: String
  var samples: [Sample]
  var twoSample: [TwoSample]
  var paired: [Paired]
  var correlation: [Correlation]
  var ksInteger: [KS]
  var lognormal: [Lognormal]
  var tCdf: [TCDF]
  var tQuantile: [TQuantile]

  static func load() throws -> StatisticsFixture {
    let url = try #require(
      Bundle.module.url(
        forResource: "reference", withExtension: "json", subdirectory: "Fixtures/statistics"))
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase  // t_cdf → tCdf, cohen_d → cohenD
    return try decoder.decode(StatisticsFixture.self, from: Data(contentsOf: url))
  }
}

/// Expects |actual − expected| ≤ 1e-6 |expected|: relative, so p-values of 1e-27 are checked as
/// strictly as p-values of 0.03. The 1e-300 floor only admits expected values that are exactly 0
/// or have underflowed.
func expectClose(
  _ actual: Double, _ expected: Double, _ what: @autoclosure () -> String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let ok = abs(actual - expected) <= 1e-6 * abs(expected) + 1e-300
  #expect(ok, "\(what()): got \(actual), expected \(expected)", sourceLocation: sourceLocation)
}
