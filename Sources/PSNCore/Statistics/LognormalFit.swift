import Foundation

/// A lognormal distribution fitted by maximum likelihood: ln X ~ Normal(μ, σ²).
///
/// The MLE is μ = Σ ln xᵢ / n and σ = √(Σ (ln xᵢ − μ)² / n) — divisor n, not n − 1, because this
/// is the likelihood maximum (scipy `lognorm.fit(x, floc=0)` gives the same σ and scale = e^μ).
/// psn fits it to per-layer fan-ins (design §3, `equilibrium from=RUN`); a fitted lognormal's CV,
/// √(e^(σ²) − 1), is what the lognormal profile's `cv=` inverts.
public struct LognormalFit: Sendable, Equatable {
  /// Mean of ln x.
  public let mu: Double
  /// Standard deviation of ln x, divisor n; 0 for a single value or a constant sample.
  public let sigma: Double
  public let count: Int

  public init(mu: Double, sigma: Double, count: Int) {
    self.mu = mu
    self.sigma = sigma
    self.count = count
  }

  /// Fits μ and σ to positive, finite values (at least one).
  public init(fitting values: [Double]) throws {
    let name = "lognormal fit"
    try Statistics.validate(values, atLeast: 1, for: name)
    if let index = values.firstIndex(where: { $0 <= 0 }) {
      throw StatisticsError.valueOutOfDomain(
        statistic: name, index: index, value: values[index],
        requirement: "a lognormal needs positive values; drop zeros before fitting")
    }
    let logs = values.map { log($0) }
    let mu = Statistics.mean(ofValidated: logs)
    let sumOfSquares =
      Statistics.isConstant(logs) ? 0 : logs.reduce(0) { $0 + ($1 - mu) * ($1 - mu) }
    self.init(mu: mu, sigma: (sumOfSquares / Double(logs.count)).squareRoot(), count: logs.count)
  }

  /// Fits integer data such as fan-ins.
  public init<T: BinaryInteger>(fitting values: [T]) throws {
    try self.init(fitting: values.map { Double($0) })
  }

  /// e^μ.
  public var median: Double { exp(mu) }
  /// e^(μ + σ²/2).
  public var mean: Double { exp(mu + sigma * sigma / 2) }
  /// √(e^(σ²) − 1), independent of μ.
  public var coefficientOfVariation: Double { expm1(sigma * sigma).squareRoot() }
}
