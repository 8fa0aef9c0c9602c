/// One named numeric parameter of a profile family: what the shell validates, completes and
/// documents for `key=value`.
public struct ProfileParameter: Sendable, Equatable {
  public let name: String
  /// The value used when neither the parameter nor (for the shape parameter) `cv=` is given.
  public let defaultValue: Double
  public let domain: ParameterDomain
  /// One line for `help profile`.
  public let help: String
}

/// The admissible values of a parameter: an interval with open or closed ends.
public struct ParameterDomain: Sendable, Equatable, CustomStringConvertible {
  public let lower: Double
  public let lowerIncluded: Bool
  public let upper: Double
  public let upperIncluded: Bool

  /// x ≥ lower.
  public static func atLeast(_ lower: Double) -> ParameterDomain {
    ParameterDomain(lower: lower, lowerIncluded: true, upper: .infinity, upperIncluded: false)
  }

  /// x > lower.
  public static func above(_ lower: Double) -> ParameterDomain {
    ParameterDomain(lower: lower, lowerIncluded: false, upper: .infinity, upperIncluded: false)
  }

  public func contains(_ x: Double) -> Bool {
    guard x.isFinite else { return false }
    let aboveLower = lowerIncluded ? x >= lower : x > lower
    let belowUpper = upperIncluded ? x <= upper : x < upper
    return aboveLower && belowUpper
  }

  /// ">= 0", "> 0", "in [0, 1]", "in (0, 1)".
  public var description: String {
    let lo = ProfileMath.echo(lower)
    if upper == .infinity { return (lowerIncluded ? ">= " : "> ") + lo }
    let hi = ProfileMath.echo(upper)
    return "in \(lowerIncluded ? "[" : "(")\(lo), \(hi)\(upperIncluded ? "]" : ")")"
  }
}
