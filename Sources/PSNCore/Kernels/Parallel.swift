import CIntrinsics
import Dispatch
import Synchronization

/// Splits kernel work over threads by rows. Each row is computed whole by one thread, so the
/// result is bit-identical whatever the thread count and the split.
public enum Parallel {
  /// Pointers cross into the worker closures through this box; the caller guarantees the ranges
  /// handed to different workers touch disjoint memory.
  @usableFromInline
  struct UncheckedSendable<T>: @unchecked Sendable {
    @usableFromInline let value: T
    @usableFromInline init(_ value: T) { self.value = value }
  }

  /// Ranges per thread: one. The ranges are taken in turn from a shared counter, so a helper
  /// that starts late (the machine is shared) finds its range taken by the caller instead of
  /// holding it up. More, smaller ranges (4 per thread, before the L1-blocked kernels) cost the
  /// blocked kernels their reuse — each range streams every source block through L1 again for
  /// fewer rows — and GEMM its packing: smaller OpenBLAS calls each repack their operands.
  public static let defaultChunksPerThread = 1

  /// Calls `body` on contiguous row ranges covering `0..<rows`, on up to `threads` threads
  /// concurrently, the ranges balanced by the cumulative work `cost` (e.g. CSR row offsets, so
  /// each range gets about the same number of nonzeros). Runs inline when one thread is asked
  /// for or the work is too small to pay for a hand-off.
  public static func forEachRowRange(
    rows: Int, threads: Int, cumulativeCost: UnsafePointer<Int32>? = nil, minimumCost: Int = 8192,
    chunksPerThread: Int = defaultChunksPerThread, _ body: (Range<Int>) -> Void
  ) {
    let total = cumulativeCost.map { Int($0[rows]) } ?? rows
    let workers = min(threads, rows)
    if workers <= 1 || total < minimumCost {
      body(0..<rows)
      return
    }
    let n = min(workers * max(chunksPerThread, 1), rows)
    // Chunk bounds on the stack and an atomic counter: a step of training allocates nothing.
    withUnsafeTemporaryAllocation(of: Int.self, capacity: n + 1) { bounds in
      bounds[0] = 0
      for t in 1..<n {
        let target = total * t / n
        if let c = cumulativeCost {
          var lo = bounds[t - 1]
          var hi = rows
          while lo < hi {
            let mid = (lo + hi) / 2
            if Int(c[mid]) < target { lo = mid + 1 } else { hi = mid }
          }
          bounds[t] = lo
        } else {
          bounds[t] = target
        }
      }
      bounds[n] = rows
      let next = Atomic<Int>(0)
      // Workers compute in the caller's floating-point mode (the trainer flushes denormals).
      let control = psn_float_control()
      withoutActuallyEscaping(body) { body in
        let work = UncheckedSendable(body)
        let b = UncheckedSendable(bounds)
        let worker: @Sendable (Int) -> Void = { _ in
          let own = psn_float_control()
          psn_set_float_control(control)
          defer { psn_set_float_control(own) }
          while true {
            let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard k < n else { return }
            let r = b.value[k]..<b.value[k + 1]
            if !r.isEmpty { work.value(r) }
          }
        }
        // The pool's helpers are awake between the regions of a step; libdispatch when the pool
        // is taken (another thread's region, or a region inside a region).
        if !WorkerPool.shared.run(count: workers, worker) {
          DispatchQueue.concurrentPerform(iterations: workers, execute: worker)
        }
      }
    }
  }
}
