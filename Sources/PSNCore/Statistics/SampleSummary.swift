/// Mean, spread and confidence interval of one sample (for example test accuracy over seeds).
///
/// With n values x₁…xₙ:
///   mean x̄ = Σ xᵢ / n,
///   sample standard deviation s = √(Σ (xᵢ − x̄)² / (n − 1))   (Bessel's correction),
///   standard error of the mean SE = s / √n,
///   95% confidence interval of the mean x̄ ± t₀.₉₇₅,ₙ₋₁ · SE   (Student t, n − 1 degrees of freedom).
/// Needs n ≥ 2: with one value there is no spread, and psn throws rather than report s = 0.
public struct SampleSummary: Sendable, Equatable {
  public let count: Int
  public let mean: Double
  public let standardDeviation: Double

  public init(_ values: [Double]) throws {
    try Statistics.validate(values, atLeast: 2, for: "sample summary")
    count = values.count
    mean = Statistics.mean(ofValidated: values)
    standardDeviation = Statistics.variance(ofValidated: values, mean: mean).squareRoot()
  }

  /// s / √n.
  public var standardError: Double { standardDeviation / Double(count).squareRoot() }

  /// x̄ ± t_{(1+level)/2, n−1} · SE; `level` in (0, 1), 0.95 by default.
  public func confidenceInterval(level: Double = 0.95) throws -> ClosedRange<Double> {
    guard level > 0, level < 1 else {
      throw StatisticsError.invalidParameter(
        statistic: "confidence interval", name: "level", value: level,
        requirement: "must be strictly between 0 and 1, e.g. 0.95")
    }
    let t = try StudentT(degreesOfFreedom: Double(count - 1)).quantile((1 + level) / 2)
    let halfWidth = t * standardError
    return (mean - halfWidth)...(mean + halfWidth)
  }
}

extension Statistics {
  /// Σ xᵢ / n; needs n ≥ 1.
  public static func mean(_ values: [Double]) throws -> Double {
    try validate(values, atLeast: 1, for: "mean")
    return mean(ofValidated: values)
  }

  /// The sample variance Σ (xᵢ − x̄)² / (n − 1); needs n ≥ 2.
  public static func variance(_ values: [Double]) throws -> Double {
    try validate(values, atLeast: 2, for: "variance")
    return variance(ofValidated: values, mean: mean(ofValidated: values))
  }

  /// √variance; needs n ≥ 2.
  public static func standardDeviation(_ values: [Double]) throws -> Double {
    try variance(values).squareRoot()
  }

  /// The mean by summation plus one correction pass, Σ (xᵢ − x̄₀) / n, which removes most of the
  /// rounding of the first sum (so a constant sample's mean is its value exactly).
  static func mean(ofValidated values: [Double]) -> Double {
    if isConstant(values) { return values[0] }
    let n = Double(values.count)
    let first = values.reduce(0, +) / n
    return first + values.reduce(0) { $0 + ($1 - first) } / n
  }

  /// Two-pass Σ (xᵢ − x̄)² / (n − 1): no cancellation when the values share a large offset.
  /// Exactly 0 for a constant sample.
  static func variance(ofValidated values: [Double], mean: Double) -> Double {
    if isConstant(values) { return 0 }
    let sumOfSquares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    return sumOfSquares / Double(values.count - 1)
  }
}
