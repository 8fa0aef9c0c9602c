/// Deterministic top-k selection in linear expected time.
///
/// RigL drops the k active weights of smallest magnitude and grows the k inactive connections of
/// largest gradient magnitude. Sorting the ~235 000 candidate positions of a 784×300 layer every
/// update would cost more than the 100 training steps between updates at high sparsity, so the
/// k-th value is found by quickselect and the set collected in one pass. Ties at the threshold go
/// to the lowest index, so the result is a function of the scores alone.
enum Selection {
  /// Indices of the `k` largest `scores` where `eligible` (all when nil), ascending.
  static func largest(_ scores: [Float], count k: Int, eligible: [Bool]? = nil) -> [Int] {
    select(scores, count: k, eligible: eligible, largest: true)
  }

  /// Indices of the `k` smallest `scores`, ascending.
  static func smallest(_ scores: [Float], count k: Int) -> [Int] {
    select(scores, count: k, eligible: nil, largest: false)
  }

  private static func select(_ scores: [Float], count k: Int, eligible: [Bool]?, largest: Bool) -> [Int] {
    guard k > 0 else { return [] }
    var pool: [Float] = []
    pool.reserveCapacity(scores.count)
    for i in scores.indices where eligible?[i] ?? true { pool.append(largest ? -scores[i] : scores[i]) }
    precondition(k <= pool.count, "cannot select \(k) of \(pool.count)")
    let threshold = kthSmallest(&pool, k - 1)
    // Everything strictly better than the threshold, then threshold ties in index order.
    var strictlyBetter = 0
    for i in scores.indices where eligible?[i] ?? true {
      if (largest ? -scores[i] : scores[i]) < threshold { strictlyBetter += 1 }
    }
    var ties = k - strictlyBetter
    var chosen: [Int] = []
    chosen.reserveCapacity(k)
    for i in scores.indices where eligible?[i] ?? true {
      let s = largest ? -scores[i] : scores[i]
      if s < threshold {
        chosen.append(i)
      } else if s == threshold && ties > 0 {
        chosen.append(i)
        ties -= 1
      }
    }
    return chosen
  }

  /// The value that would sit at position `n` if `a` were sorted ascending (`a` is reordered).
  ///
  /// On large arrays a sample first bounds it: t, a sample value safely past the sample's own
  /// estimate of position n, and the candidates a ≤ t. When there are more than n candidates,
  /// every element outside them is larger than all of them, so the n-th smallest of `a` is the
  /// n-th smallest candidate: the same value, found by a quickselect over a few thousand
  /// elements instead of 235 000 (RigL's grow step on 784 → 300; its branchy partitions were most
  /// of a mask update). When the bound falls short, the whole array is selected as before.
  static func kthSmallest(_ a: inout [Float], _ n: Int) -> Float {
    let sampleSize = 4096
    if a.count >= 8 * sampleSize {
      let step = a.count / sampleSize
      var sample = stride(from: 0, to: a.count, by: step).map { a[$0] }
      // A rank about four standard deviations (binomial) past the expected one.
      let expected = n / step
      let bound = min(sample.count - 1, expected + 4 * Int(Double(expected + 1).squareRoot()) + 8)
      let t = quickselect(&sample, bound)
      var candidates = a.filter { $0 <= t }
      if candidates.count > n { return quickselect(&candidates, n) }
    }
    return quickselect(&a, n)
  }

  /// Hoare quickselect with a median-of-three pivot (`a` is reordered).
  static func quickselect(_ a: inout [Float], _ n: Int) -> Float {
    var lo = 0
    var hi = a.count - 1
    while lo < hi {
      let mid = lo + (hi - lo) / 2
      // median of three as pivot value
      let x = a[lo], y = a[mid], z = a[hi]
      let pivot = max(min(x, y), min(max(x, y), z))
      var i = lo
      var j = hi
      while i <= j {
        while a[i] < pivot { i += 1 }
        while a[j] > pivot { j -= 1 }
        if i <= j {
          a.swapAt(i, j)
          i += 1
          j -= 1
        }
      }
      if n <= j { hi = j } else if n >= i { lo = i } else { return a[n] }
    }
    return a[lo]
  }
}
