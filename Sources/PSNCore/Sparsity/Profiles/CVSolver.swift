#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif

/// Solves a family's shape parameter θ for a target CV of the *final integer* fan-ins, i.e. after
/// budget scaling, clipping to [1, n_in] and rounding: the CV the user will see.
///
/// θ is searched on a log scale, θ = base + 10^v with v in the family's span of decades. The CV
/// is first sampled at `gridPoints` values of v, which gives the reachable range and a bracket
/// around the target even where CV(θ) is not monotone; bisection on v then narrows the bracket. Integer rounding
/// makes CV(θ) a fine staircase, so the search stops within `tightTolerance` or when the bracket
/// stops shrinking, and keeps the closest θ seen.
struct CVSolver {
  /// θ = base + 10^v, v ∈ decades.
  struct Span {
    let base: Double
    let decades: ClosedRange<Double>

    func theta(_ v: Double) -> Double { base + pow10(v) }
  }

  struct Solution {
    let theta: Double
    let fanIns: [Int]
    let cv: Double
  }

  static let gridPoints = 40
  static let tightTolerance = 2e-4

  let sampler: ShapeSampler
  let span: Span
  let nIn: Int
  let budget: Int

  func fanIns(theta: Double) -> [Int] {
    FanInAllocation.fanIns(logShape: sampler.logShape(theta), nIn: nIn, budget: budget)
  }

  /// CV at v, with its fan-ins.
  private func evaluate(_ v: Double) -> Solution {
    let theta = span.theta(v)
    let k = fanIns(theta: theta)
    return Solution(theta: theta, fanIns: k, cv: FanInStatistics.cv(of: k))
  }

  private var grid: [(v: Double, solution: Solution)] {
    let (lo, hi) = (span.decades.lowerBound, span.decades.upperBound)
    return (0..<Self.gridPoints).map { i in
      let v = lo + (hi - lo) * Double(i) / Double(Self.gridPoints - 1)
      return (v, evaluate(v))
    }
  }

  /// Smallest and largest CV over the sampled span.
  func reachable() -> ClosedRange<Double> {
    Self.range(of: grid.map(\.solution.cv))
  }

  /// The θ whose CV is closest to `target`, together with the sampled reachable range.
  func solve(target: Double) -> (best: Solution, reachable: ClosedRange<Double>) {
    let samples = grid
    let reachable = Self.range(of: samples.map(\.solution.cv))
    var best = samples.min { abs($0.solution.cv - target) < abs($1.solution.cv - target) }!.solution
    // First bracket [v_i, v_i+1] whose CVs straddle the target.
    guard
      let i = samples.indices.dropLast().first(where: {
        (samples[$0].solution.cv - target) * (samples[$0 + 1].solution.cv - target) <= 0
      })
    else { return (best, reachable) }
    var (lo, hi) = (samples[i], samples[i + 1])
    for _ in 0..<60 where abs(best.cv - target) > Self.tightTolerance {
      let mid = 0.5 * (lo.v + hi.v)
      guard mid != lo.v && mid != hi.v else { break }
      let s = evaluate(mid)
      if abs(s.cv - target) < abs(best.cv - target) { best = s }
      if (lo.solution.cv - target) * (s.cv - target) <= 0 { hi = (mid, s) } else { lo = (mid, s) }
    }
    return (best, reachable)
  }

  private static func range(of values: [Double]) -> ClosedRange<Double> {
    (values.min() ?? 0)...(values.max() ?? 0)
  }
}

private func pow10(_ v: Double) -> Double { exp(v * 2.302_585_092_994_046) }

extension ProfileFamily {
  /// Where the solver looks for the shape parameter: θ = base + 10^v, `base` being the lower end
  /// of the parameter's domain. One end of the span makes the shape flat (CV ≈ 0), the other as
  /// steep as clipping allows at layer sizes up to a few thousand neurons (the reachable-CV table
  /// in docs/profiles.md is computed over these spans).
  var solveSpan: CVSolver.Span? {
    switch self {
    case .linear: return .init(base: 0, decades: -3...6)
    case .power: return .init(base: 0, decades: -3...2.7)
    case .exponential: return .init(base: 0, decades: -3...3.3)
    case .sigmoid: return .init(base: 0, decades: -2...4)
    case .gaussian: return .init(base: 0, decades: -4...3)
    case .cosine: return .init(base: 0, decades: -3...3)
    case .step: return .init(base: 1, decades: -3...6)
    case .hyperbolic: return .init(base: 0, decades: -6...6)
    case .lognormal: return .init(base: 0, decades: -3...1.5)
    case .powerlaw: return .init(base: 0, decades: -2...4)
    case .expr: return .init(base: 0, decades: -3...2.5)
    case .constant, .random, .dense: return nil
    }
  }
}
