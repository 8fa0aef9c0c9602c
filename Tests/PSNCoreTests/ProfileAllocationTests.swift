import Testing

@testable import PSNCore

#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif

/// From shape to fan-ins: scaling, clipping with redistribution, largest-remainder rounding.
@Suite struct ProfileAllocationTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let name: String
    let shape: [Double]
    let nIn: Int
    let budget: Int
    let expected: [Int]
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "proportional, no clipping", shape: [1, 2, 3, 4], nIn: 10, budget: 20,
      expected: [2, 4, 6, 8]),
    // Targets 1.5, 3, 4.5, 6 (sum 15): floors sum 14, the one unit goes to the largest remainder;
    // neurons 0 and 2 tie at .5 and the lower index wins.
    Case(
      name: "largest remainder, ties to the lower index", shape: [1, 2, 3, 4], nIn: 10,
      budget: 15, expected: [2, 3, 4, 6]),
    // The hub caps at 10; the other three share the remaining 10 equally (3⅓ each), and the one
    // leftover unit goes to the first of them.
    Case(
      name: "cap redistributes to the others", shape: [1, 1, 1, 100], nIn: 10, budget: 20,
      expected: [4, 3, 3, 10]),
    // c·g = 0.01·c and 10·c: the small one stays at the floor of 1, the big one takes 49.
    Case(name: "floor at one input", shape: [1, 1000], nIn: 100, budget: 50, expected: [1, 49]),
    Case(
      name: "budget = n_out gives all ones", shape: [1, 5, 9], nIn: 10, budget: 3,
      expected: [1, 1, 1]),
    Case(
      name: "budget = n_in·n_out gives all n_in", shape: [1, 5, 9], nIn: 10, budget: 30,
      expected: [10, 10, 10]),
    // Two hubs cap at 6, the rest sit at 1, and the 7th unit from the budget of 17 goes to the
    // next-largest shape value.
    Case(
      name: "cap and floor at once", shape: [1e-9, 1e-6, 1, 1e6, 1e9], nIn: 6, budget: 16,
      expected: [1, 1, 2, 6, 6]),
    // g = 0 keeps the floor while others take the budget.
    Case(
      name: "zero shape values stay at the floor", shape: [0, 1, 0, 3], nIn: 10, budget: 10,
      expected: [1, 2, 1, 6]),
    // With every positive neuron capped, the zeros share what is left equally.
    Case(
      name: "zeros share the rest when the others are full", shape: [0, 1, 0, 3], nIn: 4,
      budget: 14, expected: [3, 4, 3, 4]),
  ]

  @Test(arguments: cases)
  func allocatesExactly(_ c: Case) {
    let k = FanInAllocation.fanIns(logShape: c.shape.map { log($0) }, nIn: c.nIn, budget: c.budget)
    #expect(k == c.expected)
    #expect(k.reduce(0, +) == c.budget)
  }

  /// Shapes far outside floating-point range in linear scale (ln g from −10⁶ to 10⁶) still give
  /// the exact budget, no NaN, and the order of the shape.
  @Test func extremeLogShapesStayExact() {
    let logShape = (0..<300).map { Double($0 * $0) * 25 - 1e6 }
    let k = FanInAllocation.fanIns(logShape: logShape, nIn: 784, budget: 23520)
    #expect(k.reduce(0, +) == 23520)
    #expect(k == k.sorted())
    #expect(k.last == 784 && k.first == 1)
  }

  @Test func evenAndMostUnequalFanIns() {
    // 23520 = 300·78 + 120: 120 neurons at 79, 180 at 78, f = 0.4.
    #expect(
      abs(FanInAllocation.evenCV(nOut: 300, budget: 23520) - (0.24).squareRoot() / 78.4) < 1e-15)
    #expect(FanInAllocation.evenCV(nOut: 100, budget: 3000) == 0)
    // (3000 − 100)/299 = 9 hubs at 300, one neuron with 1 + 2900 − 9·299 = 210, 90 at 1.
    let k = FanInAllocation.mostUnequalFanIns(nIn: 300, nOut: 100, budget: 3000)
    #expect(k.reduce(0, +) == 3000)
    #expect(k.filter { $0 == 300 }.count == 9 && k[9] == 210 && k[10...].allSatisfy { $0 == 1 })
  }

  /// Φ⁻¹ against known values (to 15 significant digits, e.g. from R's qnorm).
  @Test func normalQuantile() {
    let known: [(p: Double, z: Double)] = [
      (0.5, 0), (0.975, 1.959963984540054), (0.001, -3.090232306167814),
      (0.8413447460685429, 1.0), (1e-10, -6.361340902404056), (0.999, 3.090232306167814),
    ]
    for (p, z) in known {
      #expect(abs(ProfileMath.normalQuantile(p) - z) < 1e-12, "p = \(p)")
    }
  }

  @Test func decimalFormatting() {
    #expect(ProfileMath.decimal(0.5773) == "0.58")
    #expect(ProfileMath.decimal(2.0) == "2")
    #expect(ProfileMath.decimal(0.001) == "0")
    #expect(ProfileMath.decimal(-1.505, places: 1) == "-1.5")
    #expect(ProfileMath.decimal(0.05) == "0.05")
    #expect(ProfileMath.echo(12) == "12" && ProfileMath.echo(1.5) == "1.5")
  }
}
