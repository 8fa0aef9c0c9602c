import CIntrinsics
import Dispatch
import Foundation
import Synchronization
import Testing
@testable import PSNCore

/// `Parallel.forEachRowRange` over the worker pool: every row exactly once, the caller's
/// floating-point mode on every thread, and callers that find the pool taken (another thread,
/// or a region inside a region) still get their work done, through libdispatch.
@Suite struct KernelParallelTests {
  /// Counts how often each row was visited; every row must be visited exactly once.
  final class Visits: @unchecked Sendable {
    let counts: UnsafeMutablePointer<Int>
    let rows: Int
    init(rows: Int) {
      self.rows = rows
      counts = .allocate(capacity: rows)
      counts.initialize(repeating: 0, count: rows)
    }
    deinit { counts.deallocate() }
    func visit(_ r: Range<Int>) { for i in r { counts[i] += 1 } }
    var exactlyOnce: Bool { (0..<rows).allSatisfy { counts[$0] == 1 } }
  }

  @Test(arguments: [1, 2, 3, 8])
  func everyRowOnceOverManyShortRegions(threads: Int) {
    // Thousands of regions in a row, as a training run has: the helpers spin between them, and
    // a helper that wakes late must not run a finished region again.
    for round in 0..<3000 {
      let rows = 1 + round % 97
      let visits = Visits(rows: rows)
      Parallel.forEachRowRange(rows: rows, threads: threads, minimumCost: 0) { visits.visit($0) }
      #expect(visits.exactlyOnce, "round \(round)")
      if !visits.exactlyOnce { return }
    }
  }

  @Test func regionsAfterTheHelpersFellAsleep() {
    // Longer than the spin window between regions, so the helper has gone to sleep on its
    // semaphore and must be woken.
    for _ in 0..<4 {
      let visits = Visits(rows: 64)
      Parallel.forEachRowRange(rows: 64, threads: 2, minimumCost: 0) { visits.visit($0) }
      #expect(visits.exactlyOnce)
      usleep(UInt32(WorkerPool.spinWindow / 1000) + 3000)
    }
  }

  @Test func regionsInsideRegionsAndFromManyThreads() {
    // Regions started on several threads at once and inside a region: the one that holds the
    // pool uses it, the others go through libdispatch; every row of every region once.
    let ok = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: 4) { _ in
      for _ in 0..<200 {
        let outer = Visits(rows: 8)
        let inner = (0..<8).map { _ in Visits(rows: 16) }
        Parallel.forEachRowRange(rows: 8, threads: 2, minimumCost: 0) { r in
          outer.visit(r)
          for i in r {
            Parallel.forEachRowRange(rows: 16, threads: 2, minimumCost: 0) { inner[i].visit($0) }
          }
        }
        if outer.exactlyOnce && inner.allSatisfy(\.exactlyOnce) { ok.add(1, ordering: .relaxed) }
      }
    }
    #expect(ok.load(ordering: .relaxed) == 800)
  }

  @Test func helpersComputeInTheCallersFloatingPointMode() {
    // The trainer flushes denormals; a helper that did not would give other bits than the caller.
    let own = psn_float_control()
    psn_set_float_control(psn_flushing_denormals(own))
    defer { psn_set_float_control(own) }
    let modes = UnsafeMutablePointer<UInt32>.allocate(capacity: 64)
    defer { modes.deallocate() }
    let box = Parallel.UncheckedSendable(modes)
    Parallel.forEachRowRange(rows: 64, threads: 2, minimumCost: 0, chunksPerThread: 32) { r in
      for i in r { box.value[i] = psn_float_control() }
    }
    #expect((0..<64).allSatisfy { modes[$0] == psn_flushing_denormals(own) })
  }
}
