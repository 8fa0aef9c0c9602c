/// Why a statistic could not be computed; `description` is the full user-facing message in psn's
/// `where: what (fix)` form, with the statistic's name as the place.
public enum StatisticsError: Error, CustomStringConvertible, Equatable, Sendable {
  /// Fewer values than the statistic needs (2 for a standard deviation, 3 for a correlation p-value).
  case tooFewValues(statistic: String, needed: Int, got: Int)
  /// A NaN or infinite input (a diverged run, usually); `index` is 0-based.
  case nonFiniteValue(statistic: String, index: Int, value: Double)
  /// Two samples that must pair up element by element have different lengths.
  case lengthMismatch(statistic: String, first: Int, second: Int)
  /// The spread the statistic divides by is exactly zero: both t-test samples (or all paired
  /// differences) are constant, so t and the effect size are undefined.
  case zeroVariance(statistic: String)
  /// A correlation with a series whose values are all equal; `series` is "first" or "second".
  case constantSeries(statistic: String, series: String)
  /// A value outside the statistic's domain (a lognormal needs positive values).
  case valueOutOfDomain(statistic: String, index: Int, value: Double, requirement: String)
  /// A parameter outside its range (degrees of freedom ≤ 0, a probability outside [0, 1]).
  case invalidParameter(statistic: String, name: String, value: Double, requirement: String)

  public var description: String {
    switch self {
    case .tooFewValues(let statistic, let needed, let got):
      return
        "\(statistic): needs at least \(needed) values, got \(got) (collect more samples, e.g. run more seeds)"
    case .nonFiniteValue(let statistic, let index, let value):
      return "\(statistic): value #\(index + 1) is \(value) (drop diverged runs or fix the input)"
    case .lengthMismatch(let statistic, let first, let second):
      return
        "\(statistic): the two samples have \(first) and \(second) values (pair each value with exactly one value of the other sample)"
    case .zeroVariance(let statistic):
      return
        "\(statistic): undefined because the values do not vary (every value within each sample is equal; compare the means directly)"
    case .constantSeries(let statistic, let series):
      return
        "\(statistic): undefined because the \(series) series is constant (a correlation needs variation in both series)"
    case .valueOutOfDomain(let statistic, let index, let value, let requirement):
      return "\(statistic): value #\(index + 1) is \(value) (\(requirement))"
    case .invalidParameter(let statistic, let name, let value, let requirement):
      return "\(statistic): \(name) = \(value) is out of range (\(requirement))"
    }
  }
}
