import CIntrinsics

/// Feature-major scratch buffers for a batch of up to `capacity` samples: `values[l]` holds the
/// activations entering layer l (sizes[l] × B), the last one the logits. Allocated once per
/// training or evaluation so the batch loop allocates nothing.
final class ActivationBuffers {
  let sizes: [Int]
  let capacity: Int
  private(set) var values: [UnsafeMutablePointer<Float>]
  /// A second input buffer (sizes[0] × capacity) when asked for: a helper thread gathers the
  /// next batch into it while a step computes on values[0] (`Trainer`, two threads).
  private(set) var spareInput: UnsafeMutablePointer<Float>?

  init(sizes: [Int], capacity: Int, spareInput: Bool = false) {
    self.sizes = sizes
    self.capacity = capacity
    values = sizes.map { Self.allocate(count: $0 * capacity) }
    self.spareInput = spareInput ? Self.allocate(count: sizes[0] * capacity) : nil
  }

  deinit {
    values.forEach { $0.deallocate() }
    spareInput?.deallocate()
  }

  /// Makes the spare input buffer values[0], and values[0] the spare.
  func swapInputs() {
    guard let spare = spareInput else { preconditionFailure("no spare input buffer") }
    spareInput = values[0]
    values[0] = spare
  }

  /// Zeroed scratch for `count` floats, starting on a cache line (64 bytes).
  ///
  /// The sparse kernels load a row of activations as 16-float vectors of 64 bytes; rows start
  /// at multiples of B floats, so with the buffer on a cache line (and B a multiple of 16) every
  /// load is one line. malloc's 16-byte alignment made every such load straddle two lines:
  /// measured on 784 → 300 at 10 % density, forward 40 GFLOP/s misaligned against 56 aligned
  /// (docs/performance.md). Free with `deallocate()`.
  static func allocate(count: Int) -> UnsafeMutablePointer<Float> {
    let p = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
      .bindMemory(to: Float.self, capacity: max(count, 1))
    p.initialize(repeating: 0, count: max(count, 1))
    return p
  }

  /// Copies the samples `indices` of a sample-major feature array into values[0] as I × B.
  ///
  /// A blocked transpose: 8 samples × 8 features are read as eight contiguous 8-float loads
  /// (one per sample row), transposed in registers (`transpose8x8`) and written as eight
  /// 8-float stores into the destination rows — instead of 64 scalar loads per block. Blocks of
  /// samples are split over `threads` (each writes its own columns).
  /// `destination` (default values[0]) has room for featureCount × indices.count floats.
  func gather(
    features: UnsafePointer<Float>, featureCount: Int, indices: UnsafeBufferPointer<Int32>,
    threads: Int = 1, into destination: UnsafeMutablePointer<Float>? = nil
  ) {
    gather(FloatRows(base: features, featureCount: featureCount), indices: indices, threads: threads, into: destination ?? values[0])
  }

  /// The same from pixel bytes b (`Dataset.Split.pixelBytes`), writing Float(b) / 255: the very
  /// floats the features hold, from a quarter of the memory. The training set does not fit any
  /// cache (188 MB of Fashion-MNIST floats), so a batch's rows come from DRAM: at 99% sparsity
  /// the float gather was ~40% of the step. Blocks of 16 samples go through
  /// `psn_gather_bytes16` (a 16 × 16 byte transpose, C), the few left over one at a time.
  func gather(
    pixelBytes: UnsafePointer<UInt8>, featureCount: Int, indices: UnsafeBufferPointer<Int32>,
    threads: Int = 1, into destination: UnsafeMutablePointer<Float>? = nil
  ) {
    let wide = indices.count / 16
    let batch = indices.count
    let x = destination ?? values[0]
    Parallel.forEachRowRange(rows: wide, threads: threads, minimumCost: 4) { r in
      for w in r {
        psn_gather_bytes16(pixelBytes, featureCount, indices.baseAddress! + 16 * w, x + 16 * w, batch)
      }
    }
    for b in wide * 16..<batch {
      let src = pixelBytes + Int(indices[b]) * featureCount
      for i in 0..<featureCount { x[i * batch + b] = Float(src[i]) / 255 }
    }
  }

  @inline(__always)
  private func gather(_ rows: FloatRows, indices: UnsafeBufferPointer<Int32>, threads: Int, into x: UnsafeMutablePointer<Float>) {
    let blocks = indices.count / 8
    Parallel.forEachRowRange(rows: blocks, threads: threads, minimumCost: 8) { r in
      gather(rows, indices: indices, blocks: r, into: x)
    }
    let batch = indices.count
    for b in blocks * 8..<batch {
      let src = rows.row(Int(indices[b]))
      for i in 0..<rows.featureCount { x[i * batch + b] = rows.load1(src, i) }
    }
  }

  /// The blocks of 8 samples `blocks` of `gather`.
  @inline(__always)
  private func gather(_ rows: FloatRows, indices: UnsafeBufferPointer<Int32>, blocks: Range<Int>, into x: UnsafeMutablePointer<Float>) {
    typealias V = SIMD8<Float>
    let batch = indices.count
    let featureCount = rows.featureCount
    for block in blocks {
      let b0 = block * 8
      let s0 = rows.row(Int(indices[b0]))
      let s1 = rows.row(Int(indices[b0 + 1]))
      let s2 = rows.row(Int(indices[b0 + 2]))
      let s3 = rows.row(Int(indices[b0 + 3]))
      let s4 = rows.row(Int(indices[b0 + 4]))
      let s5 = rows.row(Int(indices[b0 + 5]))
      let s6 = rows.row(Int(indices[b0 + 6]))
      let s7 = rows.row(Int(indices[b0 + 7]))
      let dst = UnsafeMutableRawPointer(x + b0)
      var i = 0
      while i + 8 <= featureCount {
        let t = Self.transpose8x8((
          rows.load8(s0, i), rows.load8(s1, i), rows.load8(s2, i), rows.load8(s3, i),
          rows.load8(s4, i), rows.load8(s5, i), rows.load8(s6, i), rows.load8(s7, i)))
        let row = batch * 4
        dst.storeBytes(of: t.0, toByteOffset: (i + 0) * row, as: V.self)
        dst.storeBytes(of: t.1, toByteOffset: (i + 1) * row, as: V.self)
        dst.storeBytes(of: t.2, toByteOffset: (i + 2) * row, as: V.self)
        dst.storeBytes(of: t.3, toByteOffset: (i + 3) * row, as: V.self)
        dst.storeBytes(of: t.4, toByteOffset: (i + 4) * row, as: V.self)
        dst.storeBytes(of: t.5, toByteOffset: (i + 5) * row, as: V.self)
        dst.storeBytes(of: t.6, toByteOffset: (i + 6) * row, as: V.self)
        dst.storeBytes(of: t.7, toByteOffset: (i + 7) * row, as: V.self)
        i += 8
      }
      while i < featureCount {
        for (k, s) in [s0, s1, s2, s3, s4, s5, s6, s7].enumerated() {
          x[i * batch + b0 + k] = rows.load1(s, i)
        }
        i += 1
      }
    }
  }

  typealias Block8 = (
    SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>,
    SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>
  )

  /// The transpose of an 8×8 block given as eight rows: three rounds of unzipping row pairs
  /// (row j ← even lanes of rows 2j‖2j+1, row 4+j ← their odd lanes) move one bit of the lane
  /// index into the row index each, so after three the lane and row indices have swapped.
  @inline(__always)
  static func transpose8x8(_ r: Block8) -> Block8 {
    @inline(__always) func round(_ r: Block8) -> Block8 {
      let u0 = SIMD16(lowHalf: r.0, highHalf: r.1)
      let u1 = SIMD16(lowHalf: r.2, highHalf: r.3)
      let u2 = SIMD16(lowHalf: r.4, highHalf: r.5)
      let u3 = SIMD16(lowHalf: r.6, highHalf: r.7)
      return (u0.evenHalf, u1.evenHalf, u2.evenHalf, u3.evenHalf, u0.oddHalf, u1.oddHalf, u2.oddHalf, u3.oddHalf)
    }
    return round(round(round(r)))
  }

  /// Runs the network on values[0] (B samples), leaving every layer's output in place:
  /// values[l+1] = ReLU(W_l values[l] + b_l) for hidden layers, the logits for the last.
  func forward(_ model: MLP, batch: Int, threads: Int) {
    for (l, layer) in model.layers.enumerated() {
      forward(layer, layer: l, isLast: l == model.layers.count - 1, batch: batch, threads: threads)
    }
  }

  /// values[l+1] = ReLU(W_l values[l] + b_l), or without the ReLU for the logit layer.
  func forward(_ layer: Layer, layer l: Int, isLast: Bool, batch: Int, threads: Int) {
    layer.forward(values[l], batch: batch, into: values[l + 1], threads: threads, relu: !isLast)
  }
}

/// Brings the next step's sample rows into L2 while this step computes, a slice of the rows at
/// each of `slices` calls of `issue`, every cache line of each row.
///
/// The training set does not fit any cache, so a batch's 128 rows come from DRAM. Asking for
/// every line of them at once stalls the core on its fill buffers (measured with float rows:
/// the gather 64–66 µs instead of 48–52); asking for the first line of each only (the previous
/// scheme) left the gather at ~43 µs of a 99%-sparse step. Spread over the step's phases the
/// requests overlap the kernels: 43 → 31 µs.
struct RowPrefetch {
  let indices: UnsafeBufferPointer<Int32>
  let perSlice: Int
  private var done = 0

  init(indices: UnsafeBufferPointer<Int32>, slices: Int) {
    self.indices = indices
    perSlice = (indices.count + slices - 1) / max(slices, 1)
  }

  mutating func issue(rows: UnsafeRawPointer, rowBytes: Int) {
    let end = min(done + perSlice, indices.count)
    for k in done..<end {
      let row = rows + Int(indices[k]) * rowBytes
      var offset = 0
      while offset < rowBytes {
        psn_prefetch_l2(row + offset)
        offset += 64
      }
      psn_prefetch_l2(row + rowBytes - 1)
    }
    done = end
  }
}

/// Float features, sample-major: the rows the float `gather` reads.
struct FloatRows {
  let base: UnsafePointer<Float>
  let featureCount: Int
  @inline(__always) func row(_ sample: Int) -> UnsafeRawPointer { UnsafeRawPointer(base + sample * featureCount) }
  @inline(__always) func load8(_ row: UnsafeRawPointer, _ feature: Int) -> SIMD8<Float> {
    row.loadUnaligned(fromByteOffset: feature * 4, as: SIMD8<Float>.self)
  }
  @inline(__always) func load1(_ row: UnsafeRawPointer, _ feature: Int) -> Float {
    row.load(fromByteOffset: feature * 4, as: Float.self)
  }
}
