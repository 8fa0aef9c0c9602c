import Foundation

/// Throughput of the dense and sparse kernels on one layer shape, in GFLOP/s of *useful* work
/// (2 flops per active weight per sample; zeros a dense kernel would multiply are not counted).
public struct KernelBenchmark: Sendable {
  public struct Result: Sendable, Equatable, Codable {
    public var kernel: String
    public var nIn: Int
    public var nOut: Int
    public var batch: Int
    public var density: Double
    /// Timed by the thread's CPU clock rather than the wall clock.
    public var cpuTime: Bool
    public var secondsPerCall: Double
    public var gflops: Double
  }

  public var nIn = 784
  public var nOut = 300
  public var batch = 128
  public var threads = 1
  /// Minimum measuring time per kernel; the best of repeated rounds is kept (the machine is shared).
  public var seconds = 0.3
  /// Time calls by this thread's CPU time instead of the wall clock (1 thread only): a busy
  /// machine that takes the core away then does not count against the kernel, though it still
  /// shares the caches.
  public var cpuTime = false
  /// Draw every row's connections from the first this-many inputs instead of all of them (each
  /// row keeps its fan-in, capped at the limit), so that the forward and weight-gradient
  /// kernels find their source rows in L1 (64 rows of B = 128 floats are 32 KiB): what the
  /// kernels reach when no source row comes from L2, which separates their memory traffic from
  /// their arithmetic and per-row work. The backward-input kernel reads dY, which this does not
  /// shrink, so it is not measured then. nil: uniformly random masks.
  public var residentSources: Int?

  public init(nIn: Int = 784, nOut: Int = 300, batch: Int = 128, threads: Int = 1, seconds: Double = 0.3, cpuTime: Bool = false, residentSources: Int? = nil) {
    precondition(residentSources.map { $0 > 0 && $0 <= nIn } ?? true, "resident sources must be in 1...nIn")
    self.residentSources = residentSources
    self.cpuTime = cpuTime && threads == 1
    self.nIn = nIn
    self.nOut = nOut
    self.batch = batch
    self.threads = threads
    self.seconds = seconds
  }

  /// Measures forward (with the hidden layers' ReLU), backward-to-input and weight-gradient
  /// kernels at each density (density 1 uses the dense GEMM path).
  public func run(densities: [Double]) -> [Result] {
    var rng = PSNRandom(seed: 1, stream: "bench.kernels")
    let x = (0..<nIn * batch).map { _ in Float(rng.nextNormal()) }
    let dy = (0..<nOut * batch).map { _ in Float(rng.nextNormal()) }
    var db = [Float](repeating: 0, count: nOut)
    var results: [Result] = []
    for density in densities {
      let nnz = Int((density * Double(nIn * nOut)).rounded())
      var mask = density >= 1 ? nil : Mask.random(nIn: nIn, nOut: nOut, nnz: nnz, rng: &rng)
      if let limit = residentSources, let random = mask {
        mask = Self.squeezed(random, intoFirst: limit, rng: &rng)
      }
      var layer = Layer(nIn: nIn, nOut: nOut, mask: mask)
      layer.weights = (0..<layer.weightCount).map { _ in Float(rng.nextNormal()) }
      let csc = mask.map(CSCIndex.init)
      var dW = [Float](repeating: 0, count: layer.weightCount)
      let flops = 2.0 * Double(layer.weightCount) * Double(batch)
      func measure(_ name: String, _ body: () -> Void) {
        let s = Self.bestTime(seconds: seconds, clock: cpuTime ? Self.threadCPUSeconds : Self.wallSeconds, body)
        results.append(Result(kernel: name, nIn: nIn, nOut: nOut, batch: batch, density: density, cpuTime: cpuTime, secondsPerCall: s, gflops: flops / s / 1e9))
      }
      // Activations live on cache lines, as the trainer's buffers do (ActivationBuffers.allocate).
      let xp = ActivationBuffers.allocate(count: x.count)
      let dyp = ActivationBuffers.allocate(count: dy.count)
      let yp = ActivationBuffers.allocate(count: nOut * batch)
      let dxp = ActivationBuffers.allocate(count: nIn * batch)
      defer { [xp, dyp, yp, dxp].forEach { $0.deallocate() } }
      xp.update(from: x, count: x.count)
      dyp.update(from: dy, count: dy.count)
      measure("forward") { layer.forward(xp, batch: batch, into: yp, threads: threads, relu: true) }
      if residentSources == nil {
        measure("backward-input") { layer.inputGradient(dz: dyp, batch: batch, csc: csc, into: dxp, threads: threads) }
      }
      dW.withUnsafeMutableBufferPointer { dWp in
        db.withUnsafeMutableBufferPointer { dbp in
          measure("weight-gradient") { layer.weightGradients(dz: dyp, a: xp, batch: batch, dW: dWp.baseAddress!, db: dbp.baseAddress!, threads: threads) }
        }
      }
    }
    return results
  }

  /// `mask` with every row's connections redrawn among the first `limit` inputs (distinct,
  /// ascending), each row keeping its fan-in up to `limit`.
  static func squeezed(_ mask: Mask, intoFirst limit: Int, rng: inout PSNRandom) -> Mask {
    var rowStart: [Int32] = [0]
    var columns: [Int32] = []
    for o in 0..<mask.nOut {
      let fanIn = min(Int(mask.rowStart[o + 1] - mask.rowStart[o]), limit)
      columns += rng.sample(fanIn, from: limit).map { Int32($0) }
      rowStart.append(Int32(columns.count))
    }
    return Mask(nIn: mask.nIn, nOut: mask.nOut, rowStart: rowStart, columns: columns)
  }

  /// Best seconds per call over rounds of ~10 ms (by `clock`), for at least `seconds` of wall time.
  static func bestTime(seconds: Double, clock: () -> Double = wallSeconds, _ body: () -> Void) -> Double {
    body()
    var best = Double.infinity
    let start = wallSeconds()
    repeat {
      var calls = 0
      let t0 = clock()
      var t1 = t0
      repeat {
        body()
        calls += 1
        t1 = clock()
      } while t1 - t0 < 0.01
      best = min(best, (t1 - t0) / Double(calls))
    } while wallSeconds() - start < seconds
    return best
  }

  static func wallSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
  }

  static func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
  }
}
