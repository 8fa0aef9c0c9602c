#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif

/// A family's shape at the O neuron positions, as ln g(x_j; θ) for any value θ of its shape
/// parameter, with the secondary parameters fixed.
///
/// Positions are the midpoints x_j = (j + ½)/O, j = 0 … O−1: symmetric about ½, never exactly 0 or
/// 1 (so x^p, 1/(x + θ) and the quantile shapes stay finite), and for the distribution families
/// x_j is the probability (j + ½)/O whose quantile neuron j receives.
///
/// Shapes are kept as logarithms, which `FanInAllocation` works with directly, so that steep ones
/// (exp(2000·x), x^500, a width-10⁻⁴ gaussian) neither overflow nor underflow.
struct ShapeSampler {
  let family: ProfileFamily
  let positions: [Double]
  /// Secondary parameters by name (defaults filled in).
  let fixed: [String: Double]
  /// Per-neuron values computed once: Φ⁻¹(x_j) for lognormal, ln g(x_j) for expr.
  private let base: [Double]

  static func positions(nOut: Int) -> [Double] {
    (0..<nOut).map { (Double($0) + 0.5) / Double(nOut) }
  }

  init(family: ProfileFamily, fixed: [String: Double], nOut: Int, expression: ShapeExpression?)
    throws(ProfileError)
  {
    self.family = family
    self.fixed = fixed
    positions = Self.positions(nOut: nOut)
    switch family {
    case .lognormal:
      base = positions.map(ProfileMath.normalQuantile)
    case .expr:
      guard let expression else { throw .expressionMissing }
      base = try Self.logValues(of: expression, at: positions)
    default:
      base = []
    }
  }

  /// ln g(x_j; θ) for every neuron.
  func logShape(_ theta: Double) -> [Double] {
    let x = positions
    switch family {
    case .linear:
      return x.map { log1p(theta * $0) }
    case .power:
      return x.map { theta * log($0) }
    case .exponential:
      return x.map { theta * $0 }
    case .sigmoid:
      let center = fixed["center"]!
      return x.map { ProfileMath.logSigmoid(theta * ($0 - center)) }
    case .gaussian:
      let center = fixed["center"]!
      return x.map { -($0 - center) * ($0 - center) / (2 * theta * theta) }
    case .cosine:
      let cycles = fixed["cycles"]!
      return x.map { -theta * cos(2 * Double.pi * cycles * $0) }
    case .step:
      let fraction = fixed["fraction"]!
      return x.map { $0 > 1 - fraction ? log(theta) : 0 }
    case .hyperbolic:
      return x.map { -log($0 + theta) }
    case .lognormal:
      return base.map { theta * $0 }
    case .powerlaw:
      return x.map { -log1p(-$0) / theta }
    case .expr:
      // g^θ; neurons where g = 0 stay at 0 (ln = −inf) for every θ, 0⁰ included.
      return base.map { $0 == -.infinity ? $0 : theta * $0 }
    case .constant, .random, .dense:
      return [Double](repeating: 0, count: x.count)
    }
  }

  /// ln g(x_j) of a user expression, rejecting values that cannot be a shape.
  private static func logValues(
    of expression: ShapeExpression, at x: [Double]
  ) throws(ProfileError) -> [Double] {
    var logs: [Double] = []
    logs.reserveCapacity(x.count)
    for (j, xj) in x.enumerated() {
      let g = expression.evaluate(at: xj)
      let place = "at neuron \(j) (x = \(ProfileMath.decimal(xj, places: 4)))"
      guard g.isFinite else {
        let what = g.isNaN ? "undefined (NaN)" : "infinite"
        throw .expressionValue(
          "the expression is \(what) \(place) (fan-ins need a finite shape at every neuron;"
            + " check for log(0), division by 0 or sqrt of a negative)")
      }
      guard g >= 0 else {
        throw .expressionValue(
          "the expression is negative \(place): \(ProfileMath.decimal(g, places: 4))"
            + " (fan-ins are proportional to the shape, which must be >= 0;"
            + " add a constant or use abs(...))")
      }
      logs.append(log(g))
    }
    guard logs.contains(where: { $0 > -.infinity }) else {
      throw .expressionValue(
        "the expression is 0 at every neuron (a shape needs a positive value somewhere)")
    }
    return logs
  }

  /// Whether the shape is the same at every neuron whatever θ is.
  var isConstant: Bool {
    let l = logShape(1)
    return l.allSatisfy { $0 == l[0] }
  }
}
