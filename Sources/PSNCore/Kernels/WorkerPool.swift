import CIntrinsics
import Dispatch
import Foundation
import Synchronization

/// Helper threads that stay awake between the many short parallel regions of a training step.
///
/// A step of a 90%-sparse 784-300-100-10 network is ~0.6 ms and has a dozen parallel regions
/// (gather, forward, two backward kernels per layer, the optimizer), some only a few µs long.
/// `DispatchQueue.concurrentPerform` wakes a sleeping worker through the kernel for each one
/// (tens of µs, and allocations), which made two threads slower than one. The helpers here spin
/// on a generation counter for `spinWindow` after their last job, so a region inside a step
/// reaches them in well under a µs, and sleep on a semaphore once the process goes quiet.
///
/// One caller at a time: `run` returns false when the pool is busy (another thread's region, or
/// a region started inside a region) and the caller falls back to libdispatch.
final class WorkerPool: @unchecked Sendable {
  static let shared = WorkerPool()

  /// How long a helper keeps spinning for the next job before it sleeps.
  static let spinWindow: UInt64 = 2_000_000  // ns

  /// Set while a caller owns the pool.
  private let busy = Atomic<Bool>(false)
  /// One word for the job's whole life: its generation (bits 21…), whether the caller is still
  /// working on it (`open`), and how many helpers are inside it (bits 0…19). Helpers wait for the
  /// generation to move and enter only the open job of the generation they saw, so no helper
  /// runs a job twice, and the caller never waits for a helper that was slow to wake: it closes
  /// the job when its own share is done and waits only for those already inside.
  private let state = Atomic<Int>(0)
  private static let open = 1 << 20
  private static let generationShift = 21

  /// The job and how many threads (caller included) it wants; written by the owning caller
  /// before the job opens, read by helpers after they enter.
  private let job = UnsafeMutablePointer<((Int) -> Void)?>.allocate(capacity: 1)
  private var participants = 0
  private var helpers: [Helper] = []

  private init() { job.initialize(to: nil) }

  /// Runs `body(0)` on the calling thread and `body(1)…body(count − 1)` on helpers, concurrently,
  /// and returns when every call that started has returned. A helper that wakes after the
  /// caller finished its own share skips the job, so `body` must split the work dynamically
  /// (`Parallel` hands out chunks from a counter). Returns false, running nothing, if the pool
  /// is in use.
  func run(count: Int, _ body: (Int) -> Void) -> Bool {
    guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    else { return false }
    defer { busy.store(false, ordering: .releasing) }
    while helpers.count < count - 1 { startHelper(index: helpers.count) }
    withoutActuallyEscaping(body) { body in
      job.pointee = body
      participants = count
      let next = (state.load(ordering: .relaxed) >> Self.generationShift) + 1
      state.store(next << Self.generationShift | Self.open, ordering: .sequentiallyConsistent)
      for h in helpers.prefix(count - 1) where h.sleeping.exchange(false, ordering: .sequentiallyConsistent) {
        h.wake.signal()
      }
      body(0)
      state.subtract(Self.open, ordering: .sequentiallyConsistent)
      while state.load(ordering: .acquiring) & (Self.open - 1) != 0 { psn_pause() }
      job.pointee = nil
    }
    return true
  }

  private final class Helper: @unchecked Sendable {
    let sleeping = Atomic<Bool>(false)
    let wake = DispatchSemaphore(value: 0)
  }

  private func startHelper(index: Int) {
    let helper = Helper()
    helpers.append(helper)
    let thread = Thread { [self] in helperLoop(helper, index: index + 1) }
    thread.name = "psn-kernels-\(index + 1)"
    thread.start()
  }

  private func helperLoop(_ helper: Helper, index: Int) {
    var seen = state.load(ordering: .acquiring) >> Self.generationShift
    while true {
      seen = waitForJob(after: seen, helper)
      if enter(generation: seen) {
        if index < participants { call(index) }
        state.subtract(1, ordering: .releasing)
      }
    }
  }

  /// Spins until the generation moves past `seen` (sleeping if it has not within the window)
  /// and returns the new one.
  private func waitForJob(after seen: Int, _ helper: Helper) -> Int {
    let start = DispatchTime.now().uptimeNanoseconds
    var spins = 0
    while true {
      let g = state.load(ordering: .acquiring) >> Self.generationShift
      if g != seen { return g }
      psn_pause()
      spins += 1
      if spins & 63 == 0, DispatchTime.now().uptimeNanoseconds - start > Self.spinWindow {
        helper.sleeping.store(true, ordering: .sequentiallyConsistent)
        if state.load(ordering: .sequentiallyConsistent) >> Self.generationShift == seen {
          helper.wake.wait()  // the caller that moves the generation sees `sleeping` and signals
        } else if !helper.sleeping.exchange(false, ordering: .sequentiallyConsistent) {
          helper.wake.wait()  // a caller took the flag and is signalling: take the signal
        }
      }
    }
  }

  /// Joins the job of `generation` if its caller has not closed it yet.
  private func enter(generation: Int) -> Bool {
    var v = state.load(ordering: .relaxed)
    while v >> Self.generationShift == generation && v & Self.open != 0 {
      let (done, now) = state.compareExchange(expected: v, desired: v + 1, ordering: .acquiring)
      if done { return true }
      v = now
    }
    return false
  }

  /// A function of its own so the helper's reference to the job's closure is released before it
  /// leaves the job (the caller clears the closure once every helper has left).
  @inline(never)
  private func call(_ index: Int) {
    job.pointee?(index)
  }
}
