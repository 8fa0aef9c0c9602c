import Testing

@testable import PSNCore

#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif

/// Fan-in statistics against values worked out by hand.
@Suite struct FanInStatisticsTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let fanIns: [Int]
    let mean: Double
    let std: Double
    let gini: Double
    var testDescription: String { "\(fanIns.prefix(8))\(fanIns.count > 8 ? "…" : "")" }
  }

  static let cases: [Case] = [
    // All equal: no spread, no inequality.
    Case(fanIns: [1, 1, 1, 1], mean: 1, std: 0, gini: 0),
    Case(fanIns: [784, 784, 784], mean: 784, std: 0, gini: 0),
    // One neuron has everything: Gini = (n − 1)/n; std = √(p(1−p)) with p = 1/4.
    Case(fanIns: [0, 0, 0, 1], mean: 0.25, std: (0.1875).squareRoot(), gini: 0.75),
    // Σ_{i<j} |k_i − k_j| = 1+2+3+1+2+1 = 10 over 4 values: G = 2·10 / (2·16·2.5) = 0.25,
    // the closed form (n − 1)/(3n) for 1…n.
    Case(fanIns: [4, 1, 3, 2], mean: 2.5, std: (1.25).squareRoot(), gini: 0.25),
    Case(fanIns: Array(1...100), mean: 50.5, std: (833.25).squareRoot(), gini: 99.0 / 300),
    // Two levels, a share p of neurons at a and the rest at 0: G = 1 − p.
    Case(fanIns: [0, 5, 0, 5], mean: 2.5, std: 2.5, gini: 0.5),
    Case(fanIns: [7], mean: 7, std: 0, gini: 0),
  ]

  @Test(arguments: cases)
  func summary(_ c: Case) {
    let s = FanInStatistics(c.fanIns)
    #expect(s.count == c.fanIns.count && s.total == c.fanIns.reduce(0, +))
    #expect(abs(s.mean - c.mean) < 1e-12)
    #expect(abs(s.std - c.std) < 1e-12)
    #expect(abs(s.cv - c.std / c.mean) < 1e-12)
    #expect(abs(s.gini - c.gini) < 1e-12)
    #expect(s.min == c.fanIns.min() && s.max == c.fanIns.max())
    #expect(FanInStatistics.cv(of: c.fanIns) == s.cv)
  }

  @Test func degenerateLists() {
    let empty = FanInStatistics([])
    #expect(empty.count == 0 && empty.mean == 0 && empty.cv == 0 && empty.gini == 0)
    let zeros = FanInStatistics([0, 0])
    #expect(zeros.cv == 0 && zeros.gini == 0)
    #expect(FanInStatistics.Histogram([]).bins.isEmpty)
    #expect(FanInStatistics.LognormalFit([0, 0]) == nil)
    #expect(FanInStatistics.ksDistance([], [1]).isNaN)
  }

  /// The order of the fan-ins does not change any statistic, to the last bit.
  @Test func orderDoesNotMatter() {
    let k = (0..<300).map { ($0 * 7919) % 311 + 1 }
    #expect(FanInStatistics(k) == FanInStatistics(k.reversed()))
    #expect(FanInStatistics(k) == FanInStatistics(k.sorted()))
  }

  @Test func histogramIsIntegerAware() {
    let fine = FanInStatistics.Histogram([1, 1, 2, 5, 9], binCount: 20)
    #expect(fine.width == 1)
    #expect(fine.bins.map(\.count) == [2, 1, 0, 0, 1, 0, 0, 0, 1])
    #expect(fine.bins.first?.lower == 1 && fine.bins.last?.upper == 9)
    let coarse = FanInStatistics.Histogram([1, 1, 2, 5, 9], binCount: 3)
    #expect(coarse.width == 3)
    #expect(
      coarse.bins.map { [$0.lower, $0.upper, $0.count] } == [[1, 3, 3], [4, 6, 1], [7, 9, 1]])
    // 1…100 in at most 7 bins: width ⌈100/7⌉ = 15, so 7 bins, the last 91…105 holding 10.
    let wide = FanInStatistics.Histogram(Array(1...100), binCount: 7)
    #expect(wide.width == 15 && wide.bins.count == 7)
    #expect(wide.bins.last.map { [$0.lower, $0.upper, $0.count] } == [91, 105, 10])
    #expect(wide.bins.map(\.count).reduce(0, +) == 100)
    #expect(FanInStatistics.Histogram([3, 3], binCount: 0).bins.map(\.count) == [2])
  }

  /// ln 1, ln 4, ln 16 = 0, 2 ln 2, 4 ln 2: μ = 2 ln 2, σ = 2 ln 2 · √(2/3) (divisor n).
  @Test func lognormalFit() throws {
    let ln2 = 0.693_147_180_559_945_3
    let fit = try #require(FanInStatistics.LognormalFit([0, 16, 1, 4]))
    #expect(abs(fit.mu - 2 * ln2) < 1e-12)
    #expect(abs(fit.sigma - 2 * ln2 * (2.0 / 3).squareRoot()) < 1e-12)
    #expect(fit.count == 3 && fit.zeroCount == 1)
    // The fitted law's CV is √(e^(σ²) − 1): [1, 4] has σ = ln 2, CV = √(e^(ln²2) − 1) ≈ 0.785.
    let pair = try #require(FanInStatistics.LognormalFit([1, 4]))
    #expect(abs(pair.sigma - ln2) < 1e-15)
    #expect(abs(pair.cv - (exp(ln2 * ln2) - 1).squareRoot()) < 1e-12)
  }

  struct KSCase: CustomTestStringConvertible, Sendable {
    let a: [Int]
    let b: [Int]
    let distance: Double
    var testDescription: String { "\(a) vs \(b)" }
  }

  static let ksCases: [KSCase] = [
    // Pooled values 1, 2, 3, 4: F_a = .25 .75 1 1, F_b = 0 .75 .75 1; D = 0.25. Stopping between
    // the tied 2s would see |.25 − .75| = 0.5.
    KSCase(a: [1, 2, 2, 3], b: [2, 2, 2, 4], distance: 0.25),
    KSCase(a: [5, 5, 5], b: [5, 5], distance: 0),
    KSCase(a: [1, 2], b: [3, 4], distance: 1),
    // At 1: F_a = 1, F_b = 1/2.
    KSCase(a: [1, 1, 1], b: [1, 2], distance: 0.5),
    // F_a at 1…6 = .2 .4 .6 1 1 1, F_b = 0 0 ⅓ ⅓ ⅔ 1: the largest gap is 1 − ⅓ at v = 4.
    KSCase(a: [1, 2, 3, 4, 4], b: [3, 5, 6], distance: 2.0 / 3),
  ]

  @Test(arguments: ksCases)
  func ksDistance(_ c: KSCase) {
    #expect(abs(FanInStatistics.ksDistance(c.a, c.b) - c.distance) < 1e-15)
    #expect(FanInStatistics.ksDistance(c.b, c.a) == FanInStatistics.ksDistance(c.a, c.b))
  }
}
