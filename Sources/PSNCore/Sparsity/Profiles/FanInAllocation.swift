#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif

/// From shape to fan-ins: shares a layer's exact budget B among O neurons in proportion to
/// shape values, within [1, I] per neuron (I = n_in, O = n_out).
///
/// 1. Scale and clip: real targets t_j = clamp(c·g_j, 1, I), with the one c for which Σ t_j = B.
///    Clipping a neuron at 1 or I hands its excess (or deficit) to the unclipped neurons through c,
///    which is what "redistribute until nothing more clips" converges to, solved exactly.
/// 2. Round: k_j = ⌊t_j⌋, then the D = B − Σ⌊t_j⌋ neurons with the largest fractional parts get one
///    more (largest remainders; equal remainders go to the lower index), so Σ k_j = B exactly.
enum FanInAllocation {
  /// Integer fan-ins with Σ k = budget and 1 ≤ k_j ≤ nIn, from shape values given as logarithms
  /// (ln g(x_j); −inf for g = 0). Needs nOut ≤ budget ≤ nIn·nOut and at least one finite value.
  static func fanIns(logShape: [Double], nIn: Int, budget: Int) -> [Int] {
    round(targets(logShape: logShape, nIn: nIn, budget: budget), nIn: nIn, budget: budget)
  }

  /// Step 1: the real targets t_j = clamp(c·g_j, 1, I) with Σ t_j = B.
  ///
  /// f(c) = Σ_j clamp(c·g_j, 1, I) is continuous and non-decreasing in c. Work in λ = ln c, where
  /// nothing overflows however steep the shape (ln g spanning ±10⁶ is fine). With the neurons in
  /// decreasing order of g, neuron j leaves the floor at λ = −ln g_j and reaches the cap at
  /// λ = ln I − ln g_j, so at any λ the order splits into three runs: capped, free, at the floor.
  /// Walking λ from event to event, f(λ) = L + I·H + S(λ), with L and H the neurons at the floor and
  /// at the cap and S(λ) = Σ_free e^(λ + ln g_j) the free neurons' targets, each in [1, I]. The
  /// root lies on the first piece where f reaches B; there e^λ = (B − L − I·H) / Σ_free g_j.
  static func targets(logShape: [Double], nIn: Int, budget: Int) -> [Double] {
    let n = logShape.count
    let cap = Double(nIn)
    let logCap = log(cap)
    let b = Double(budget)
    if budget <= n { return [Double](repeating: 1, count: n) }
    if budget >= n * nIn { return [Double](repeating: cap, count: n) }

    // Neurons with g > 0, largest g first; neurons with g = 0 stay at the floor throughout.
    let order = logShape.indices.filter { logShape[$0] > -.infinity }
      .sorted { logShape[$0] > logShape[$1] || (logShape[$0] == logShape[$1] && $0 < $1) }
    let l = order.map { logShape[$0] }
    var top = 0  // order[..<top] at the cap
    var bottom = 0  // order[top..<bottom] free, order[bottom...] at the floor
    var lambda = -l[0]
    var free = 0.0  // S(λ)
    while true {
      let nextFloor = bottom < l.count ? -l[bottom] : .infinity
      let nextCap = top < bottom ? logCap - l[top] : .infinity
      let next = min(nextFloor, nextCap)
      guard next < .infinity else { break }
      // While a neuron is free the next event is at most ln I away (it caps by then), so S grows
      // by at most a factor I; with none free, S is 0 however long the gap.
      let grown = top == bottom ? 0 : free * exp(next - lambda)
      let atFloor = Double(n - bottom)
      let atCap = Double(top)
      if atFloor + cap * atCap + grown >= b {
        let root = lambda + log((b - atFloor - cap * atCap) / free)
        return logShape.map { min(max(exp(root + $0), 1), cap) }
      }
      lambda = next
      if nextCap <= nextFloor {
        top += 1
        // Recomputed rather than decremented by I: subtracting large terms from a running sum
        // would leave its rounding error to be amplified by the next growth factors.
        free = (top..<bottom).reduce(0.0) { $0 + exp(lambda + l[$1]) }
      } else {
        bottom += 1
        free = grown + 1  // the new free neuron's target is exactly 1 as it leaves the floor
      }
    }
    // Every neuron with g > 0 is at the cap and the budget is still not spent: the neurons with
    // g = 0, all alike, share the rest equally (at most I each, since B ≤ I·O).
    let share = (b - cap * Double(order.count)) / Double(n - order.count)
    return logShape.map { $0 > -.infinity ? cap : share }
  }

  /// Step 2: largest-remainder rounding of targets in [1, I] to integers summing to `budget`.
  static func round(_ t: [Double], nIn: Int, budget: Int) -> [Int] {
    var k = t.map { min(max(Int($0.rounded(.down)), 1), nIn) }
    let shortfall = budget - k.reduce(0, +)
    if shortfall != 0 {
      // Σ t_j = B up to rounding error, so |shortfall| < O; it is negative only when floating error
      // pushed Σ t_j a hair above B, and then the smallest remainders give a unit back.
      let raise = shortfall > 0
      let order = (0..<k.count)
        .filter { raise ? k[$0] < nIn : k[$0] > 1 }
        .sorted { i, j in
          let (ri, rj) = (t[i] - Double(k[i]), t[j] - Double(k[j]))
          if ri != rj { return raise ? ri > rj : ri < rj }
          return i < j
        }
      // In exact arithmetic the remainders sum to the shortfall and each is < 1, so more neurons
      // have one than the shortfall counts.
      precondition(abs(shortfall) <= order.count, "rounding: shortfall exceeds adjustable neurons")
      for j in order.prefix(abs(shortfall)) { k[j] += raise ? 1 : -1 }
    }
    return k
  }

  /// The CV of the most even integer fan-ins: f·O neurons at ⌈B/O⌉ and the rest at ⌊B/O⌋,
  /// f = frac(B/O), so std = √(f(1−f)) and CV = √(f(1−f)) / (B/O). No profile can go below it.
  static func evenCV(nOut: Int, budget: Int) -> Double {
    let mean = Double(budget) / Double(nOut)
    let f = Double(budget % nOut) / Double(nOut)
    return (f * (1 - f)).squareRoot() / mean
  }

  /// The most unequal integer fan-ins: H = ⌊(B − O)/(I − 1)⌋ neurons at I, one neuron with the
  /// remainder, the rest at 1. No profile's CV exceeds theirs.
  static func mostUnequalFanIns(nIn: Int, nOut: Int, budget: Int) -> [Int] {
    guard nIn > 1 else { return [Int](repeating: 1, count: nOut) }
    let extra = budget - nOut
    let hubs = min(extra / (nIn - 1), nOut)
    var k = [Int](repeating: 1, count: nOut)
    for j in 0..<hubs { k[j] = nIn }
    if hubs < nOut { k[hubs] += extra - hubs * (nIn - 1) }
    return k
  }
}
