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

  /// The value that would sit at position `n` if `a` were sorted ascending (Hoare quickselect
  /// with a median-of-three pivot; `a` is reordered).
  static func kthSmallest(_ a: inout [Float], _ n: Int) -> Float {
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
