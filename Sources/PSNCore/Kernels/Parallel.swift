import Dispatch

/// Splits kernel work over threads by rows. Each row is computed whole by one thread, so the
/// result is bit-identical whatever the thread count.
public enum Parallel {
  /// Pointers cross into the worker closures through this box; the caller guarantees the ranges
  /// handed to different workers touch disjoint memory.
  @usableFromInline
  struct UncheckedSendable<T>: @unchecked Sendable {
    @usableFromInline let value: T
    @usableFromInline init(_ value: T) { self.value = value }
  }

  /// Calls `body` on `threads` contiguous row ranges of `0..<rows` concurrently, balanced by the
  /// cumulative work `cost` (e.g. CSR row offsets, so each thread gets ~K/threads nonzeros).
  /// Runs inline when one thread is asked for or the work is too small to pay for a hand-off.
  public static func forEachRowRange(
    rows: Int, threads: Int, cumulativeCost: UnsafePointer<Int32>? = nil, minimumCost: Int = 8192,
    _ body: (Range<Int>) -> Void
  ) {
    let total = cumulativeCost.map { Int($0[rows]) } ?? rows
    let n = min(threads, rows)
    if n <= 1 || total < minimumCost {
      body(0..<rows)
      return
    }
    var bounds = [0]
    for t in 1..<n {
      let target = total * t / n
      if let c = cumulativeCost {
        var lo = bounds.last!
        var hi = rows
        while lo < hi {
          let mid = (lo + hi) / 2
          if Int(c[mid]) < target { lo = mid + 1 } else { hi = mid }
        }
        bounds.append(lo)
      } else {
        bounds.append(target)
      }
    }
    bounds.append(rows)
    withoutActuallyEscaping(body) { body in
      let work = UncheckedSendable(body)
      let b = UncheckedSendable(bounds)
      DispatchQueue.concurrentPerform(iterations: n) { t in
        let r = b.value[t]..<b.value[t + 1]
        if !r.isEmpty { work.value(r) }
      }
    }
  }
}
