import Foundation

/// The two special functions behind the Student t distribution, written out here so that psn's
/// p-values do not depend on which libm a platform ships: log Γ and the regularized incomplete
/// beta function. Both aim at ~1e-13 relative accuracy for the arguments statistics uses
/// (a, b in [0.5, 10⁶]); `StatisticsSpecialFunctionTests` checks them against exact values.
enum SpecialFunctions {
  /// ln Γ(x) for x > 0.
  ///
  /// For z ≥ 10 the Stirling series ln Γ(z) = (z − ½) ln z − z + ½ ln 2π + S(z) (see
  /// ``stirlingSeries(_:)``). Smaller x are shifted up with Γ(x) = Γ(x + m) / (x (x+1) ⋯ (x+m−1)).
  static func logGamma(_ x: Double) -> Double {
    precondition(x > 0, "logGamma needs x > 0")
    var z = x
    var shiftProduct = 1.0
    while z < 10 {
      shiftProduct *= z
      z += 1
    }
    return (z - 0.5) * log(z) - z + halfLogTwoPi + stirlingSeries(z) - log(shiftProduct)
  }

  private static let halfLogTwoPi = 0.918_938_533_204_672_741_78

  /// S(z) = Σₖ B₂ₖ / (2k (2k−1) z^(2k−1)) over the Bernoulli numbers B₂ₖ, truncated after k = 7;
  /// for z ≥ 10 the first omitted term is below 3e-17.
  private static func stirlingSeries(_ z: Double) -> Double {
    precondition(z >= 10, "the truncated Stirling series needs z >= 10")
    // B₂ₖ / (2k (2k−1)) for k = 1…7: 1/12, −1/360, 1/1260, −1/1680, 1/1188, −691/360360, 1/156.
    let coefficients: [Double] = [
      1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188, -691.0 / 360_360, 1.0 / 156,
    ]
    let inverseSquare = 1 / (z * z)
    var series = 0.0
    for c in coefficients.reversed() { series = series * inverseSquare + c }
    return series / z
  }

  /// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).
  ///
  /// When the larger argument L is ≥ 10, ln Γ(L) − ln Γ(L + s) is taken from the difference of
  /// the two Stirling expansions,
  ///   −(L − ½) ln(1 + s/L) − s ln(L + s) + s + S(L) − S(L + s),
  /// instead of subtracting two numbers of size L ln L: at ν = 10⁵ (the t distribution's a = ν/2,
  /// b = ½) the plain difference loses five digits.
  static func logBeta(_ a: Double, _ b: Double) -> Double {
    let (small, large) = a < b ? (a, b) : (b, a)
    guard large >= 10 else { return logGamma(a) + logGamma(b) - logGamma(a + b) }
    let difference =
      -(large - 0.5) * log1p(small / large) - small * log(large + small) + small
      + stirlingSeries(large) - stirlingSeries(large + small)
    return logGamma(small) + difference
  }

  /// The regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b), for a, b > 0.
  ///
  /// Callers pass both x and y = 1 − x: the t distribution knows y to full precision
  /// (t² / (ν + t²)) where computing 1 − x would cancel. Uses the continued fraction
  ///   I_x(a, b) = xᵃ yᵇ / (a B(a, b)) · 1 / (1 + d₁ / (1 + d₂ / (1 + ⋯))),
  ///   d₂ₘ₊₁ = −(a+m)(a+b+m) x / ((a+2m)(a+2m+1)),   d₂ₘ = m (b−m) x / ((a+2m−1)(a+2m)),
  /// which converges fast for x < (a+1)/(a+b+2); above that, I_x(a, b) = 1 − I_y(b, a).
  static func regularizedIncompleteBeta(a: Double, b: Double, x: Double, y: Double) -> Double {
    precondition(a > 0 && b > 0, "incomplete beta needs a, b > 0")
    if x <= 0 { return 0 }
    if y <= 0 { return 1 }
    // ln x near x = 1 comes from log1p(−y), which keeps the digits that a · ln x multiplies.
    let logX = x > 0.5 ? log1p(-y) : log(x)
    let logY = y > 0.5 ? log1p(-x) : log(y)
    let logFront = a * logX + b * logY - logBeta(a, b)
    if x < (a + 1) / (a + b + 2) {
      return exp(logFront) * betaContinuedFraction(a: a, b: b, x: x) / a
    }
    return 1 - exp(logFront) * betaContinuedFraction(a: b, b: a, x: y) / b
  }

  /// Evaluates 1 / (1 + d₁ / (1 + d₂ / ⋯)) by the modified Lentz method (Lentz 1976, with
  /// Thompson & Barnett's guard against zero denominators). Each new coefficient dₙ updates
  ///   Dₙ = 1 / (1 + dₙ Dₙ₋₁),   Cₙ = 1 + dₙ / Cₙ₋₁,   value ← value · Cₙ Dₙ,
  /// and the loop stops when a factor Cₙ Dₙ is 1 to within 1e-15. Reading the fraction as
  /// 0 + 1 / (1 + d₁ / ⋯), the first two Lentz steps give exactly C = 1, D = value = 1 / (1 + d₁).
  private static func betaContinuedFraction(a: Double, b: Double, x: Double) -> Double {
    let tiny = 1e-300
    func guarded(_ v: Double) -> Double { abs(v) < tiny ? tiny : v }

    let d1 = -(a + b) * x / (a + 1)
    var c = 1.0
    var d = 1 / guarded(1 + d1)
    var value = d
    func multiply(by coefficient: Double) -> Double {
      d = 1 / guarded(1 + coefficient * d)
      c = guarded(1 + coefficient / c)
      value *= c * d
      return c * d
    }
    for m in 1...50_000 {
      let m = Double(m)
      _ = multiply(by: m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)))
      let factor = multiply(by: -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)))
      if abs(factor - 1) < 1e-15 { break }
    }
    return value
  }
}
