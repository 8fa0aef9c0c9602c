import Foundation

/// Student's t distribution with ν degrees of freedom (ν > 0, not necessarily an integer: Welch's
/// test produces fractional ν).
///
/// With x = ν / (ν + t²), the probability beyond |t| in one tail is ½ I_x(ν/2, ½), where I is the
/// regularized incomplete beta function. Tails are computed directly, never as 1 − CDF, so tiny
/// p-values keep their relative accuracy.
public struct StudentT: Sendable, Equatable {
  public let degreesOfFreedom: Double

  /// Throws ``StatisticsError/invalidParameter(statistic:name:value:requirement:)`` unless ν is
  /// finite and positive.
  public init(degreesOfFreedom: Double) throws {
    guard degreesOfFreedom > 0, degreesOfFreedom.isFinite else {
      throw StatisticsError.invalidParameter(
        statistic: "Student t distribution", name: "degrees of freedom", value: degreesOfFreedom,
        requirement: "must be a positive finite number")
    }
    self.degreesOfFreedom = degreesOfFreedom
  }

  /// P(T > |t|) = ½ I_x(ν/2, ½) with x = ν / (ν + t²) and 1 − x = t² / (ν + t²).
  func tailBeyond(_ t: Double) -> Double {
    let nu = degreesOfFreedom
    let t2 = t * t
    if t2.isInfinite { return 0 }
    return 0.5
      * SpecialFunctions.regularizedIncompleteBeta(
        a: nu / 2, b: 0.5, x: nu / (nu + t2), y: t2 / (nu + t2))
  }

  /// P(T ≤ t).
  public func cdf(_ t: Double) -> Double {
    if t.isNaN { return .nan }
    return t < 0 ? tailBeyond(t) : 1 - tailBeyond(t)
  }

  /// P(T > t), the survival function; accurate for large t where 1 − cdf(t) would round to 0.
  public func survival(_ t: Double) -> Double {
    if t.isNaN { return .nan }
    return t > 0 ? tailBeyond(t) : 1 - tailBeyond(t)
  }

  /// P(|T| ≥ |t|) = I_x(ν/2, ½): the two-sided p-value of a t statistic.
  public func twoSidedPValue(_ t: Double) -> Double {
    if t.isNaN { return .nan }
    return min(1, 2 * tailBeyond(t))
  }

  /// The density Γ((ν+1)/2) / (√(νπ) Γ(ν/2)) · (1 + t²/ν)^(−(ν+1)/2).
  public func density(_ t: Double) -> Double {
    let nu = degreesOfFreedom
    let logNormalizer =
      SpecialFunctions.logGamma((nu + 1) / 2) - SpecialFunctions.logGamma(nu / 2)
      - 0.5 * log(nu * Double.pi)
    return exp(logNormalizer - (nu + 1) / 2 * log1p(t * t / nu))
  }

  /// The t with P(T ≤ t) = p; −∞ at p = 0 and +∞ at p = 1.
  ///
  /// By symmetry solves tailBeyond(t) = min(p, 1 − p) for t ≥ 0: the root is bracketed by
  /// doubling, then found by Newton steps (the derivative is −density) that fall back to
  /// bisection whenever a step leaves the bracket, until the step is below 1e-15 relative.
  public func quantile(_ p: Double) throws -> Double {
    guard p >= 0, p <= 1 else {
      throw StatisticsError.invalidParameter(
        statistic: "Student t quantile", name: "probability", value: p,
        requirement: "must be between 0 and 1")
    }
    if p == 0 { return -.infinity }
    if p == 1 { return .infinity }
    if p == 0.5 { return 0 }
    let target = min(p, 1 - p)  // exact for p ≥ ½ (Sterbenz)
    let magnitude = solveTail(equalTo: target)
    return p < 0.5 ? -magnitude : magnitude
  }

  /// The t ≥ 0 with tailBeyond(t) = target, for 0 < target < ½.
  private func solveTail(equalTo target: Double) -> Double {
    // tailBeyond decreases from ½ at t = 0; find lo < root ≤ hi.
    var lo = 0.0
    var hi = 1.0
    while tailBeyond(hi) > target {
      lo = hi
      hi *= 2
      if hi.isInfinite { return .infinity }
    }
    var t = 0.5 * (lo + hi)
    for _ in 0..<400 {
      let excess = tailBeyond(t) - target
      if excess == 0 { return t }
      if excess > 0 { lo = t } else { hi = t }
      var next = t + excess / density(t)
      if !(next > lo && next < hi) { next = 0.5 * (lo + hi) }
      if abs(next - t) <= 1e-15 * next || next == lo || next == hi { return next }
      t = next
    }
    return t
  }
}
