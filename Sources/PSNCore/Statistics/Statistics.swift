/// Summary statistics and significance tests over small samples, typically one number per seed
/// (test accuracy, gradient concentration, fitted σ).
///
/// Every function validates its input and throws ``StatisticsError`` rather than returning NaN:
/// too few values, non-finite values, mismatched lengths, or a quantity that is mathematically
/// undefined for the data (a t statistic when both samples are constant, a correlation with a
/// constant series). Definitions and conventions are written up in `docs/statistics.md`.
public enum Statistics {}

extension Statistics {
  /// Throws unless `values` has at least `minimumCount` elements, all finite.
  static func validate(_ values: [Double], atLeast minimumCount: Int, for statistic: String) throws
  {
    guard values.count >= minimumCount else {
      throw StatisticsError.tooFewValues(
        statistic: statistic, needed: minimumCount, got: values.count)
    }
    if let index = values.firstIndex(where: { !$0.isFinite }) {
      throw StatisticsError.nonFiniteValue(statistic: statistic, index: index, value: values[index])
    }
  }

  /// Throws unless the two samples of a paired statistic have the same length.
  static func validatePairs(_ x: [Double], _ y: [Double], for statistic: String) throws {
    guard x.count == y.count else {
      throw StatisticsError.lengthMismatch(statistic: statistic, first: x.count, second: y.count)
    }
  }

  /// True when every value equals the first: tested exactly, because a floating-point variance of
  /// a constant sample can come out as a tiny non-zero number and turn "undefined" into garbage.
  static func isConstant(_ values: [Double]) -> Bool {
    guard let first = values.first else { return true }
    return values.allSatisfy { $0 == first }
  }
}
