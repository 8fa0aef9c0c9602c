/// The outcome of a t-test: the statistic, its degrees of freedom and the two-sided p-value.
public struct TTestResult: Sendable, Equatable {
  /// The t statistic; positive when the first sample's mean is larger.
  public let t: Double
  /// ν; fractional for Welch's test.
  public let degreesOfFreedom: Double
  /// P(|T| ≥ |t|) under the null hypothesis of equal means.
  public let pValue: Double
  /// Mean of the first sample minus mean of the second (the mean difference for a paired test).
  public let meanDifference: Double
  /// The standard error t is divided by: t = meanDifference / standardError.
  public let standardError: Double

  init(meanDifference: Double, standardError: Double, degreesOfFreedom: Double) throws {
    self.meanDifference = meanDifference
    self.standardError = standardError
    self.degreesOfFreedom = degreesOfFreedom
    t = meanDifference / standardError
    pValue = try StudentT(degreesOfFreedom: degreesOfFreedom).twoSidedPValue(t)
  }
}

extension Statistics {
  /// Welch's unequal-variance two-sample t-test (scipy `ttest_ind(a, b, equal_var=False)`).
  ///
  /// With vₐ = sₐ²/nₐ and v_b = s_b²/n_b:  t = (x̄ₐ − x̄_b) / √(vₐ + v_b), and the
  /// Welch–Satterthwaite ν = (vₐ + v_b)² / (vₐ²/(nₐ−1) + v_b²/(n_b−1)).
  /// Needs two values per sample; throws ``StatisticsError/zeroVariance(statistic:)`` when both
  /// samples are constant (one constant sample is fine: ν becomes the other sample's n − 1).
  public static func welchTTest(_ a: [Double], _ b: [Double]) throws -> TTestResult {
    let (first, second) = try twoSamples(a, b, for: "Welch t-test")
    let va = first.variance / Double(a.count)
    let vb = second.variance / Double(b.count)
    let total = va + vb
    guard total > 0 else { throw StatisticsError.zeroVariance(statistic: "Welch t-test") }
    // ν written with the shares vₐ/(vₐ+v_b), so squaring tiny variances cannot underflow.
    let (ra, rb) = (va / total, vb / total)
    let nu = 1 / (ra * ra / Double(a.count - 1) + rb * rb / Double(b.count - 1))
    return try TTestResult(
      meanDifference: first.mean - second.mean, standardError: total.squareRoot(),
      degreesOfFreedom: nu)
  }

  /// Student's equal-variance two-sample t-test (scipy `ttest_ind(a, b)`).
  ///
  /// t = (x̄ₐ − x̄_b) / (s_p √(1/nₐ + 1/n_b)) with ν = nₐ + n_b − 2 and the pooled standard deviation
  /// s_p = √(((nₐ−1) sₐ² + (n_b−1) s_b²) / (nₐ + n_b − 2)). Needs two values per sample; throws
  /// ``StatisticsError/zeroVariance(statistic:)`` when s_p = 0.
  public static func studentTTest(_ a: [Double], _ b: [Double]) throws -> TTestResult {
    let (first, second) = try twoSamples(a, b, for: "Student t-test")
    let pooled = pooledStandardDeviation(first, a.count, second, b.count)
    guard pooled > 0 else { throw StatisticsError.zeroVariance(statistic: "Student t-test") }
    let scale = (1 / Double(a.count) + 1 / Double(b.count)).squareRoot()
    return try TTestResult(
      meanDifference: first.mean - second.mean, standardError: pooled * scale,
      degreesOfFreedom: Double(a.count + b.count - 2))
  }

  /// The paired t-test (scipy `ttest_rel(a, b)`): on the differences dᵢ = aᵢ − bᵢ,
  /// t = d̄ / (s_d / √n) with ν = n − 1. Needs n ≥ 2 pairs; throws
  /// ``StatisticsError/zeroVariance(statistic:)`` when every difference is the same.
  public static func pairedTTest(_ a: [Double], _ b: [Double]) throws -> TTestResult {
    let name = "paired t-test"
    try validatePairs(a, b, for: name)
    try validate(a, atLeast: 2, for: name)
    try validate(b, atLeast: 2, for: name)
    let differences = zip(a, b).map { $0 - $1 }
    let mean = mean(ofValidated: differences)
    let variance = variance(ofValidated: differences, mean: mean)
    guard variance > 0 else { throw StatisticsError.zeroVariance(statistic: name) }
    return try TTestResult(
      meanDifference: mean, standardError: (variance / Double(differences.count)).squareRoot(),
      degreesOfFreedom: Double(differences.count - 1))
  }

  /// Mean and sample variance of one validated sample.
  typealias Moments = (mean: Double, variance: Double)

  /// Validates two independent samples (n ≥ 2 each, finite) and returns their moments.
  static func twoSamples(_ a: [Double], _ b: [Double], for statistic: String) throws -> (
    Moments, Moments
  ) {
    try validate(a, atLeast: 2, for: statistic)
    try validate(b, atLeast: 2, for: statistic)
    func moments(_ x: [Double]) -> Moments {
      let m = mean(ofValidated: x)
      return (m, variance(ofValidated: x, mean: m))
    }
    return (moments(a), moments(b))
  }

  /// s_p = √(((nₐ−1) sₐ² + (n_b−1) s_b²) / (nₐ + n_b − 2)).
  static func pooledStandardDeviation(_ a: Moments, _ na: Int, _ b: Moments, _ nb: Int) -> Double {
    let weighted = Double(na - 1) * a.variance + Double(nb - 1) * b.variance
    return (weighted / Double(na + nb - 2)).squareRoot()
  }
}
