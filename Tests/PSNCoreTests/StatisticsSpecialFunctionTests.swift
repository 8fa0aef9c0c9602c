import Foundation
import Testing

@testable import PSNCore

/// log Γ, the incomplete beta function and the t distribution against closed forms.
@Suite struct StatisticsSpecialFunctionTests {
  func relativeError(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-300) }

  @Test func logGammaOfIntegersIsLogFactorial() {
    var logFactorial = 0.0  // ln((n−1)!)
    for n in 1...60 {
      if n > 1 { logFactorial += log(Double(n - 1)) }
      let value = SpecialFunctions.logGamma(Double(n))
      #expect(abs(value - logFactorial) <= 1e-13 * max(1, logFactorial), "n = \(n)")
    }
  }

  @Test func logGammaOfHalfIntegers() {
    // Γ(½) = √π and Γ(x + 1) = x Γ(x).
    var gamma = Double.pi.squareRoot()
    var x = 0.5
    while x < 40 {
      #expect(
        abs(SpecialFunctions.logGamma(x) - log(gamma)) <= 1e-13 * max(1, abs(log(gamma))),
        "x = \(x)")
      gamma *= x
      x += 1
    }
  }

  @Test func logBetaMatchesLogGammaForSmallArguments() {
    for (a, b) in [(0.5, 0.5), (2.0, 3.5), (9.0, 0.5), (10.0, 0.5), (400.0, 0.5), (30.0, 30.0)] {
      let direct =
        SpecialFunctions.logGamma(a) + SpecialFunctions.logGamma(b)
        - SpecialFunctions.logGamma(a + b)
      #expect(
        abs(SpecialFunctions.logBeta(a, b) - direct) <= 1e-12 * max(1, abs(direct)), "a \(a) b \(b)"
      )
    }
  }

  @Test func incompleteBetaClosedForms() {
    for x in stride(from: 0.01, through: 0.99, by: 0.07) {
      let y = 1 - x
      func ibeta(_ a: Double, _ b: Double) -> Double {
        SpecialFunctions.regularizedIncompleteBeta(a: a, b: b, x: x, y: y)
      }
      #expect(relativeError(ibeta(1, 1), x) < 1e-13, "I_x(1,1) = x at \(x)")
      #expect(relativeError(ibeta(3.5, 1), pow(x, 3.5)) < 1e-13, "I_x(a,1) = x^a at \(x)")
      #expect(relativeError(ibeta(1, 4.25), -expm1(4.25 * log1p(-x))) < 1e-13, "I_x(1,b) at \(x)")
      // Symmetry I_x(a, b) = 1 − I_{1−x}(b, a).
      let flipped = SpecialFunctions.regularizedIncompleteBeta(a: 0.5, b: 7.3, x: y, y: x)
      #expect(abs(ibeta(7.3, 0.5) - (1 - flipped)) < 1e-14, "symmetry at \(x)")
    }
  }

  @Test func cauchyAndTwoDegreesOfFreedom() throws {
    // Closed forms written as lower tails for t < 0 so the references do not cancel:
    // ν = 1 (Cauchy): P(T ≤ −s) = atan(1/s)/π;  ν = 2: P(T ≤ −s) = 1 / (r (r + s)), r = √(2 + s²).
    let cauchy = try StudentT(degreesOfFreedom: 1)
    let two = try StudentT(degreesOfFreedom: 2)
    for s in [1e8, 1e6, 30, 2.5, 0.3, 1e-3] {
      let r = (2 + s * s).squareRoot()
      #expect(relativeError(cauchy.cdf(-s), atan(1 / s) / Double.pi) < 1e-12, "Cauchy cdf(−\(s))")
      #expect(relativeError(cauchy.survival(s), atan(1 / s) / Double.pi) < 1e-12, "Cauchy sf(\(s))")
      #expect(relativeError(two.cdf(-s), 1 / (r * (r + s))) < 1e-12, "ν 2 cdf(−\(s))")
      #expect(relativeError(two.cdf(s), 1 - 1 / (r * (r + s))) < 1e-14, "ν 2 cdf(\(s))")
    }
    #expect(cauchy.cdf(0) == 0.5)
  }

  @Test func quantileInvertsCDF() throws {
    for nu in [0.7, 1, 2.5, 4, 17, 250, 3e4] {
      let dist = try StudentT(degreesOfFreedom: nu)
      for p in [1e-12, 1e-6, 0.01, 0.2, 0.5, 0.77, 0.99, 1 - 1e-9] {
        let q = try dist.quantile(p)
        let back = p < 0.5 ? dist.cdf(q) : dist.survival(q)
        let target = p < 0.5 ? p : 1 - p
        #expect(relativeError(back, target) < 1e-12, "ν \(nu) p \(p)")
      }
    }
  }

  @Test func densityIntegratesToCDFDifference() throws {
    // Simpson's rule over [−1, 2]: ∫ density = cdf(2) − cdf(−1).
    let dist = try StudentT(degreesOfFreedom: 3.3)
    let steps = 2000
    let h = 3.0 / Double(steps)
    var sum = dist.density(-1) + dist.density(2)
    for i in 1..<steps { sum += dist.density(-1 + Double(i) * h) * (i % 2 == 1 ? 4 : 2) }
    #expect(abs(sum * h / 3 - (dist.cdf(2) - dist.cdf(-1))) < 1e-12)
  }

  @Test func hedgesCorrectionExactValues() {
    // J(2) = Γ(1) / (1 · Γ(½)) = 1/√π; J(ν) → 1 as ν grows.
    #expect(
      abs(Statistics.hedgesCorrection(degreesOfFreedom: 2) - 1 / Double.pi.squareRoot()) < 1e-14)
    #expect(abs(Statistics.hedgesCorrection(degreesOfFreedom: 1e6) - 1) < 1e-6)
  }

  @Test func cohensDIsStudentTScaled() throws {
    let a = [0.81, 0.84, 0.8, 0.86]
    let b = [0.79, 0.8, 0.77, 0.81, 0.8]
    let t = try Statistics.studentTTest(a, b).t
    let d = try Statistics.cohensD(a, b)
    #expect(abs(d - t * (1.0 / 4 + 1.0 / 5).squareRoot()) < 1e-12)
  }

  @Test func ranksAverageTies() {
    #expect(Statistics.ranks([10, 20, 20, 5, 20]) == [2, 4, 4, 1, 4])
  }
}
