import Foundation

extension Statistics {
  /// Cohen's d with the pooled standard deviation: d = (x̄ₐ − x̄_b) / s_p, where
  /// s_p = √(((nₐ−1) sₐ² + (n_b−1) s_b²) / (nₐ + n_b − 2)) uses the n − 1 sample variances (the
  /// same s_p as Student's t-test, so d = t · √(1/nₐ + 1/n_b)).
  /// Needs two values per sample; throws ``StatisticsError/zeroVariance(statistic:)`` when s_p = 0.
  public static func cohensD(_ a: [Double], _ b: [Double]) throws -> Double {
    try standardizedDifference(a, b, for: "Cohen's d")
  }

  /// Hedges' g = J · d, Cohen's d with the exact small-sample bias correction
  ///   J(ν) = Γ(ν/2) / (√(ν/2) · Γ((ν−1)/2)),   ν = nₐ + n_b − 2,
  /// computed through log Γ. The common approximation 1 − 3/(4(nₐ+n_b) − 9) is off by 7e-3 at
  /// nₐ = n_b = 2 and 5e-4 at 5 + 5, which matters at seed counts. Same input requirements as
  /// ``cohensD(_:_:)``.
  public static func hedgesG(_ a: [Double], _ b: [Double]) throws -> Double {
    let d = try standardizedDifference(a, b, for: "Hedges' g")
    return hedgesCorrection(degreesOfFreedom: Double(a.count + b.count - 2)) * d
  }

  /// J(ν) = Γ(ν/2) / (√(ν/2) Γ((ν−1)/2)) for ν > 1.
  static func hedgesCorrection(degreesOfFreedom nu: Double) -> Double {
    let logJ =
      SpecialFunctions.logGamma(nu / 2) - SpecialFunctions.logGamma((nu - 1) / 2)
      - 0.5 * log(nu / 2)
    return exp(logJ)
  }

  /// (x̄ₐ − x̄_b) / s_p after validation.
  private static func standardizedDifference(_ a: [Double], _ b: [Double], for name: String) throws
    -> Double
  {
    let (first, second) = try twoSamples(a, b, for: name)
    let pooled = pooledStandardDeviation(first, a.count, second, b.count)
    guard pooled > 0 else { throw StatisticsError.zeroVariance(statistic: name) }
    return (first.mean - second.mean) / pooled
  }
}
