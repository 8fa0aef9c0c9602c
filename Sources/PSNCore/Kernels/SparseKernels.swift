import CIntrinsics

/// Sparse (CSR) × dense kernels over feature-major activations.
///
/// Letters: B batch, I inputs, O outputs, K active connections.
/// Activations are stored features × batch with row stride B: X[i, b] = x[i*B + b], so one
/// input's values over the batch are contiguous and a CSR row of W (one output neuron) is a
/// weighted sum of K_o contiguous rows of X — the inner loop is a SIMD axpy over the batch
/// (../shared/notes/swift-feasibility.md §2 "Sparse CSR × dense batch").
/// A CSR matrix W (O×I) is `rowStart[O+1]`, `columns[K]`, `values[K]`.
/// Every kernel takes the range of output rows it computes so callers can split rows over threads;
/// a row is always computed whole by one thread, so results do not depend on the thread count.
///
/// Speed (docs/performance.md, "Sparse kernels"): these kernels are bound by moving activations
/// from L2, not by arithmetic. Every active weight reads its source's whole row over the batch
/// (512 bytes at B = 128), and with random masks those rows are scattered over a source (784 × B
/// for the first layer) that does not fit in L1. What helped, on 784 → 300 at 10 % density:
/// - activation buffers on 64-byte lines (`ActivationBuffers.allocate`): with malloc's 16-byte
///   alignment every 64-byte vector load straddled two lines (forward 40 → 56 GFLOP/s);
/// - L1 blocking (`blockedWeightedRowSums`, `SourceBlocks`): blocks of at most 96 source rows
///   (48 KiB) stay in L1 while every destination row takes its connections into the block, so
///   L2 traffic is one destination row in and out per (row, block) instead of one source row
///   per connection (forward 56 → 72–74, transposed 54 → 73). Only where rows have ≥ 5
///   connections per block: at 3 % density (2.6 per block) it was 0.8× as fast, at 5 % the same;
/// - the SDDMM with dY's row in registers and four lane sums per reduction tree, kept 16 lanes
///   wide (`psn_lane_sums4`; 30 → 51 unblocked, 65 blocked);
/// - prefetch that runs on into the next rows (1 % transposed 27 → 36);
/// - the bias gradient summed in the SDDMM from the dY row in registers, and by a tree of eight
///   partial sums instead of one chain of adds (1 % weight gradient 37 → 44).
/// At 1 % density (~8 connections a row, 0.9 per block) nothing blocks: each source row is used
/// by ~3 outputs, and the kernels stream it from L2 at ~100 GB/s (forward 49, transposed
/// 36, SDDMM 44 GFLOP/s). With every source row in L1 instead (`psn-bench --kernels
/// --resident-sources 64`) the forward reaches only 59–60 and the SDDMM ~55: the per-connection
/// and per-row work, not L2 alone, holds them near a third of the dense GEMM's rate. Tried and
/// no faster: batch-dimension strips with four rows in
/// lockstep (20–30 GFLOP/s), a tree-reduced SDDMM over 16 connections (21), blocks of 32 rows
/// (no gain: the destination row's traffic per block eats it), prefetch distances 2–8 (same),
/// and a forward that pushes each input's strip of 32 samples into its outputs' strips (over the
/// transposed index, the strips summed in a contiguous L1 scratch, the same bits): 17–18
/// GFLOP/s at 1 %, 27 at 10 %; rows taken in a greedy order that reuses source rows still in L1
/// (simulated: 20 % fewer source rows from L2 in the forward, 42 % in the transposed pass):
/// forward the same, transposed 36 → 40; rows of equal fan-in (no mispredicted loop exits): the
/// same; two accumulators per SDDMM connection: the same at 1 %.
public enum SparseKernels {
  /// The vector the kernels compute with: 16 floats (one zmm register) when built for AVX-512
  /// (`PSN_AVX512`, set by Package.swift), 8 (one ymm register) for AVX2, so an 8-vector
  /// register tile covers the whole default batch of 128 under AVX-512 and the connection
  /// indices and values are read once instead of twice (the SDDMM holds dY's row in it).
  #if PSN_AVX512
    public typealias Lanes = SIMD16<Float>
  #else
    public typealias Lanes = SIMD8<Float>
  #endif

  /// Y[O×B] = W · X + b 1ᵀ for the rows in `rows` (forward pass of a sparse layer), with the
  /// ReLU h = max(y, 0) applied on the way out when `relu` is set (a hidden layer), which saves
  /// a pass over Y. With `blocks` (the inputs cut into blocks, `SourceBlocks`) it runs
  /// L1-blocked, with the same result to the bit.
  public static func spmmForward(
    rowStart: UnsafePointer<Int32>, columns: UnsafePointer<Int32>, values: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, x: UnsafePointer<Float>, batch: Int,
    y: UnsafeMutablePointer<Float>, rows: Range<Int>, relu: Bool = false,
    blocks: SourceBlocks.View? = nil
  ) {
    // Call sites with constant `relu`, so each inlined copy has no branch in its loop.
    switch (relu, blocks) {
    case (true, let blocks?):
      blockedWeightedRowSums(
        rowStart: rowStart, sources: columns, values: values, valueIndex: nil, initial: bias,
        blocks: blocks, source: x, batch: batch, destination: y, rows: rows, relu: true)
    case (false, let blocks?):
      blockedWeightedRowSums(
        rowStart: rowStart, sources: columns, values: values, valueIndex: nil, initial: bias,
        blocks: blocks, source: x, batch: batch, destination: y, rows: rows, relu: false)
    case (true, nil):
      weightedRowSums(
        rowStart: rowStart, sources: columns, values: values, valueIndex: nil, initial: bias,
        source: x, batch: batch, destination: y, rows: rows, relu: true)
    case (false, nil):
      weightedRowSums(
        rowStart: rowStart, sources: columns, values: values, valueIndex: nil, initial: bias,
        source: x, batch: batch, destination: y, rows: rows, relu: false)
    }
  }

  /// dX[I×B] = Wᵀ · dY for the inputs in `rows` (backward pass to a sparse layer's inputs).
  ///
  /// Reads W through its transposed index (`CSCIndex`): input i gathers the rows of dY of the
  /// outputs it feeds, weighted by W's values fetched through `valueIndex`. A gather rather than
  /// a scatter, so inputs can be split over threads without write conflicts. L1-blocked over
  /// the outputs when the index has `blocks`, with the same result to the bit.
  public static func spmmTransposed(
    index: borrowing CSCIndex.Pointers, values: UnsafePointer<Float>,
    dy: UnsafePointer<Float>, batch: Int, dx: UnsafeMutablePointer<Float>, rows: Range<Int>
  ) {
    if let blocks = index.blocks {
      blockedWeightedRowSums(
        rowStart: index.columnStart, sources: index.rows, values: values,
        valueIndex: index.valueIndex, initial: nil, blocks: blocks, source: dy, batch: batch,
        destination: dx, rows: rows, relu: false)
    } else {
      weightedRowSums(
        rowStart: index.columnStart, sources: index.rows, values: values,
        valueIndex: index.valueIndex, initial: nil, source: dy, batch: batch, destination: dx,
        rows: rows, relu: false)
    }
  }

  /// g[p] = Σ_b dY[o, b] · X[columns[p], b] for every active p of the rows in `rows`:
  /// the loss gradient of a sparse layer's weights at its active positions only (SDDMM); and,
  /// with `biasGrad`, db[o] = Σ_b dY[o, b] for the same rows (the bias gradient, bit for bit
  /// what `rowSums` gives). At B = 8 vectors the bias gradient is summed from the dY row the
  /// tile already holds in registers: at 1 % density a separate pass over dY was a fifth of the
  /// weight-gradient phase (784 → 300: 16–17 → 14 µs a call, docs/performance.md).
  ///
  /// Every g[p] is computed by the same sequence of operations (`Lanes`-wide FMAs over the
  /// batch in order into one accumulator, its lane sum, then the scalar remainder), whichever
  /// path, grouping or block computes it, so the result does not depend on `blocks`. At
  /// B = 8 vectors (128 under AVX-512) the dY row is held in registers across its connections;
  /// with `blocks` (the inputs cut into blocks, `SourceBlocks`) the connections are taken block
  /// by block so each block of X stays in L1 while every row reads from it.
  public static func sddmmWeightGrad(
    rowStart: UnsafePointer<Int32>, columns: UnsafePointer<Int32>,
    dy: UnsafePointer<Float>, x: UnsafePointer<Float>, batch: Int,
    grad: UnsafeMutablePointer<Float>, rows: Range<Int>, blocks: SourceBlocks.View? = nil,
    biasGrad: UnsafeMutablePointer<Float>? = nil
  ) {
    guard !rows.isEmpty else { return }
    // The next rows' connections are prefetched too: a row at 1 % density has ~8.
    let prefetchEnd = Int(rowStart[rows.upperBound])
    if batch == 8 * Lanes.scalarCount && blocks == nil {
      for o in rows {
        tileDots(
          dyRow: dy + o * batch, columns: columns, x: x, grad: grad,
          positions: Int(rowStart[o])..<Int(rowStart[o + 1]), prefetchEnd: prefetchEnd,
          rowSum: biasGrad.map { $0 + o })
      }
      return
    }
    if let biasGrad { rowSums(dy, columns: batch, into: biasGrad, rows: rows) }
    if batch == 8 * Lanes.scalarCount {
      if let blocks {
        for k in 0..<blocks.blockCount {
          for o in rows {
            let segment = blocks.segment(o, k)
            if segment.isEmpty { continue }
            tileDots(
              dyRow: dy + o * batch, columns: columns, x: x, grad: grad, positions: segment,
              prefetchEnd: nil, rowSum: nil)
          }
        }
      }
      return
    }
    for o in rows {
      let dyRow = dy + o * batch
      var p = Int(rowStart[o])
      let end = Int(rowStart[o + 1])
      // Four connections at a time share each load of dY's row: 5 loads per 4 FMAs instead of 8.
      while p + 4 <= end {
        // The next four connections' rows of X, one prefetch per cache line (see weightedRowSums).
        for q in p + 4..<min(p + 8, prefetchEnd) { prefetchRow(x + Int(columns[q]) * batch, count: batch) }
        let d = dot4(
          dyRow, x + Int(columns[p]) * batch, x + Int(columns[p + 1]) * batch,
          x + Int(columns[p + 2]) * batch, x + Int(columns[p + 3]) * batch, count: batch)
        grad[p] = d.0
        grad[p + 1] = d.1
        grad[p + 2] = d.2
        grad[p + 3] = d.3
        p += 4
      }
      while p < end {
        grad[p] = dot(dyRow, x + Int(columns[p]) * batch, count: batch)
        p += 1
      }
    }
  }

  /// grad[p] = dY row · X[columns[p], :] for p in `positions`, at B = 8 `Lanes` vectors: the dY
  /// row is loaded into eight registers once, so each connection costs eight loads of X and
  /// eight FMAs. `prefetchEnd`: prefetch X rows four connections ahead, up to that position
  /// (nil when the rows are already in L1, as in a block). `rowSum`: where to store the dY
  /// row's sum, added as `rowSums` adds it.
  @inline(__always)
  static func tileDots(
    dyRow: UnsafePointer<Float>, columns: UnsafePointer<Int32>, x: UnsafePointer<Float>,
    grad: UnsafeMutablePointer<Float>, positions: Range<Int>, prefetchEnd: Int?,
    rowSum: UnsafeMutablePointer<Float>?
  ) {
    typealias V = Lanes
    let w = V.scalarCount
    let batch = 8 * w
    let r = UnsafeRawPointer(dyRow)
    let d0 = r.loadUnaligned(fromByteOffset: 0 * w * 4, as: V.self)
    let d1 = r.loadUnaligned(fromByteOffset: 1 * w * 4, as: V.self)
    let d2 = r.loadUnaligned(fromByteOffset: 2 * w * 4, as: V.self)
    let d3 = r.loadUnaligned(fromByteOffset: 3 * w * 4, as: V.self)
    let d4 = r.loadUnaligned(fromByteOffset: 4 * w * 4, as: V.self)
    let d5 = r.loadUnaligned(fromByteOffset: 5 * w * 4, as: V.self)
    let d6 = r.loadUnaligned(fromByteOffset: 6 * w * 4, as: V.self)
    let d7 = r.loadUnaligned(fromByteOffset: 7 * w * 4, as: V.self)
    if let rowSum {
      // rowSums' tree: its partial sums are 0 + d0, …, 0 + d7 for a row of eight vectors.
      let z = V()
      rowSum.pointee = laneSum(treeSum(z + d0, z + d1, z + d2, z + d3, z + d4, z + d5, z + d6, z + d7))
    }
    @inline(__always) func products(_ p: Int) -> V {
      let c = UnsafeRawPointer(x + Int(columns[p]) * batch)
      var a = V()
      a = a.addingProduct(d0, c.loadUnaligned(fromByteOffset: 0 * w * 4, as: V.self))
      a = a.addingProduct(d1, c.loadUnaligned(fromByteOffset: 1 * w * 4, as: V.self))
      a = a.addingProduct(d2, c.loadUnaligned(fromByteOffset: 2 * w * 4, as: V.self))
      a = a.addingProduct(d3, c.loadUnaligned(fromByteOffset: 3 * w * 4, as: V.self))
      a = a.addingProduct(d4, c.loadUnaligned(fromByteOffset: 4 * w * 4, as: V.self))
      a = a.addingProduct(d5, c.loadUnaligned(fromByteOffset: 5 * w * 4, as: V.self))
      a = a.addingProduct(d6, c.loadUnaligned(fromByteOffset: 6 * w * 4, as: V.self))
      a = a.addingProduct(d7, c.loadUnaligned(fromByteOffset: 7 * w * 4, as: V.self))
      return a
    }
    var p = positions.lowerBound
    let end = positions.upperBound
    // Four connections at a time, so their four lane sums share one reduction tree.
    while p + 4 <= end {
      if let prefetchEnd {
        for q in p + 4..<min(p + 8, prefetchEnd) { prefetchRow(x + Int(columns[q]) * batch, count: batch) }
      }
      let s = laneSums(products(p), products(p + 1), products(p + 2), products(p + 3))
      grad[p] = s[0]
      grad[p + 1] = s[1]
      grad[p + 2] = s[2]
      grad[p + 3] = s[3]
      p += 4
    }
    while p < end {
      if let prefetchEnd, p + 4 < prefetchEnd { prefetchRow(x + Int(columns[p + 4]) * batch, count: batch) }
      grad[p] = laneSum(products(p))
      p += 1
    }
  }

  /// The lane sums of four vectors, each summed by the same fixed tree whatever the other three
  /// are (`psn_lane_sums4` under AVX-512), so `laneSum(v) == laneSums(v, …)[0]` to the bit.
  @inline(__always)
  static func laneSums(_ a: Lanes, _ b: Lanes, _ c: Lanes, _ d: Lanes) -> SIMD4<Float> {
    #if PSN_AVX512
      psn_lane_sums4(a, b, c, d)
    #else
      SIMD4(laneSum(a), laneSum(b), laneSum(c), laneSum(d))
    #endif
  }

  /// The sum of a vector's lanes (see `laneSums`).
  @inline(__always)
  static func laneSum(_ v: Lanes) -> Float {
    #if PSN_AVX512
      psn_lane_sums4(v, v, v, v)[0]
    #else
      let q = v.lowHalf + v.highHalf
      let e = q.lowHalf + q.highHalf
      return e.x + e.y
    #endif
  }

  /// Prefetches the `count` floats at `row`, one cache line at a time.
  @inline(__always)
  static func prefetchRow(_ row: UnsafePointer<Float>, count: Int) {
    let raw = UnsafeRawPointer(row)
    var offset = 0
    while offset < count * 4 {
      psn_prefetch(raw + offset)
      offset += 64
    }
  }

  /// db[o] = Σ_b dY[o, b] (bias gradient; also used by dense layers).
  ///
  /// Summed in a fixed tree so that the sum of a row of eight vectors held in the SDDMM's
  /// register tile (`tileDots`) is the same to the bit: `Lanes`-wide chunk k of the row goes to partial
  /// sum k mod 8, the eight partial sums are added pairwise, then their lane sum, then the
  /// remaining scalars in order. Eight partial sums rather than one, so a row is not one chain
  /// of dependent adds.
  public static func rowSums(
    _ m: UnsafePointer<Float>, columns: Int, into out: UnsafeMutablePointer<Float>,
    rows: Range<Int>
  ) {
    typealias V = Lanes
    let w = V.scalarCount
    for o in rows {
      let r = m + o * columns
      let raw = UnsafeRawPointer(r)
      var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V(), a5 = V(), a6 = V(), a7 = V()
      var b = 0
      while b + 8 * w <= columns {
        a0 += raw.loadUnaligned(fromByteOffset: (b + 0 * w) * 4, as: V.self)
        a1 += raw.loadUnaligned(fromByteOffset: (b + 1 * w) * 4, as: V.self)
        a2 += raw.loadUnaligned(fromByteOffset: (b + 2 * w) * 4, as: V.self)
        a3 += raw.loadUnaligned(fromByteOffset: (b + 3 * w) * 4, as: V.self)
        a4 += raw.loadUnaligned(fromByteOffset: (b + 4 * w) * 4, as: V.self)
        a5 += raw.loadUnaligned(fromByteOffset: (b + 5 * w) * 4, as: V.self)
        a6 += raw.loadUnaligned(fromByteOffset: (b + 6 * w) * 4, as: V.self)
        a7 += raw.loadUnaligned(fromByteOffset: (b + 7 * w) * 4, as: V.self)
        b += 8 * w
      }
      // The chunks past the last whole group of eight, in turn into a0, a1, ….
      var k = 0
      while b + w <= columns {
        let c = raw.loadUnaligned(fromByteOffset: b * 4, as: V.self)
        switch k {
        case 0: a0 += c
        case 1: a1 += c
        case 2: a2 += c
        case 3: a3 += c
        case 4: a4 += c
        case 5: a5 += c
        default: a6 += c
        }
        k += 1
        b += w
      }
      var s = laneSum(treeSum(a0, a1, a2, a3, a4, a5, a6, a7))
      while b < columns {
        s += r[b]
        b += 1
      }
      out[o] = s
    }
  }

  /// ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)): `rowSums`' combination of its partial sums.
  @inline(__always)
  static func treeSum(
    _ a0: Lanes, _ a1: Lanes, _ a2: Lanes, _ a3: Lanes, _ a4: Lanes, _ a5: Lanes, _ a6: Lanes,
    _ a7: Lanes
  ) -> Lanes {
    ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))
  }

  // MARK: - Shared inner loops

  /// destination[o, :] = f(initial[o] + Σ_{p ∈ row o} value(p) · source[sources[p], :]), f the
  /// ReLU when `relu`, else the identity; value(p) = values[valueIndex[p]] or values[p].
  ///
  /// Works on column tiles of eight vectors held in registers (8 of AVX-512's 32 zmm or of
  /// AVX2's 16 ymm, leaving room for the broadcast and the loads), then single vectors, then
  /// scalars. Per connection: one broadcast, eight loads, eight FMAs. The tile is spelt out here
  /// and in `blockedWeightedRowSums` on purpose: folding both into one inlined struct of eight
  /// vectors compiled slower (784 → 300, 1 thread: forward at 10 % 75 → 68 GFLOP/s, backward-input
  /// at 1 % 36 → 30).
  @inline(__always)
  static func weightedRowSums(
    rowStart: UnsafePointer<Int32>, sources: UnsafePointer<Int32>, values: UnsafePointer<Float>,
    valueIndex: UnsafePointer<Int32>?, initial: UnsafePointer<Float>?,
    source: UnsafePointer<Float>, batch: Int,
    destination: UnsafeMutablePointer<Float>, rows: Range<Int>, relu: Bool, firstColumn: Int = 0
  ) {
    typealias V = Lanes
    let w = V.scalarCount
    let zero = V()
    let ahead = 4
    // Rows are consecutive in `sources`, so the prefetch runs on into the next rows: a short row
    // (1 % density: ~8 connections) would otherwise wait on L2 for its first `ahead` sources.
    let prefetchEnd = rows.isEmpty ? 0 : Int(rowStart[rows.upperBound])
    @inline(__always) func value(_ p: Int) -> Float {
      if let valueIndex { return values[Int(valueIndex[p])] }
      return values[p]
    }
    @inline(__always) func finish(_ a: V) -> V { relu ? a.replacing(with: zero, where: a .< zero) : a }
    for o in rows {
      let begin = Int(rowStart[o])
      let end = Int(rowStart[o + 1])
      let start: Float = initial?[o] ?? 0
      let out = UnsafeMutableRawPointer(destination + o * batch)
      var col = firstColumn
      while col + 8 * w <= batch {
        var a0 = V(repeating: start)
        var a1 = a0
        var a2 = a0
        var a3 = a0
        var a4 = a0
        var a5 = a0
        var a6 = a0
        var a7 = a0
        for p in begin..<end {
          // The source row `ahead` connections on, a line per vector: L2 latency, not bandwidth,
          // is what a connection waits for.
          if p + ahead < prefetchEnd {
            let next = UnsafeRawPointer(source + Int(sources[p + ahead]) * batch + col)
            for k in 0..<8 { psn_prefetch(next + k * w * 4) }
          }
          let v = V(repeating: value(p))
          let s = UnsafeRawPointer(source + Int(sources[p]) * batch + col)
          a0 = a0.addingProduct(v, s.loadUnaligned(fromByteOffset: 0 * w * 4, as: V.self))
          a1 = a1.addingProduct(v, s.loadUnaligned(fromByteOffset: 1 * w * 4, as: V.self))
          a2 = a2.addingProduct(v, s.loadUnaligned(fromByteOffset: 2 * w * 4, as: V.self))
          a3 = a3.addingProduct(v, s.loadUnaligned(fromByteOffset: 3 * w * 4, as: V.self))
          a4 = a4.addingProduct(v, s.loadUnaligned(fromByteOffset: 4 * w * 4, as: V.self))
          a5 = a5.addingProduct(v, s.loadUnaligned(fromByteOffset: 5 * w * 4, as: V.self))
          a6 = a6.addingProduct(v, s.loadUnaligned(fromByteOffset: 6 * w * 4, as: V.self))
          a7 = a7.addingProduct(v, s.loadUnaligned(fromByteOffset: 7 * w * 4, as: V.self))
        }
        let base = col * 4
        out.storeBytes(of: finish(a0), toByteOffset: base + 0 * w * 4, as: V.self)
        out.storeBytes(of: finish(a1), toByteOffset: base + 1 * w * 4, as: V.self)
        out.storeBytes(of: finish(a2), toByteOffset: base + 2 * w * 4, as: V.self)
        out.storeBytes(of: finish(a3), toByteOffset: base + 3 * w * 4, as: V.self)
        out.storeBytes(of: finish(a4), toByteOffset: base + 4 * w * 4, as: V.self)
        out.storeBytes(of: finish(a5), toByteOffset: base + 5 * w * 4, as: V.self)
        out.storeBytes(of: finish(a6), toByteOffset: base + 6 * w * 4, as: V.self)
        out.storeBytes(of: finish(a7), toByteOffset: base + 7 * w * 4, as: V.self)
        col += 8 * w
      }
      while col + w <= batch {
        var a = V(repeating: start)
        for p in begin..<end {
          a = a.addingProduct(
            V(repeating: value(p)),
            UnsafeRawPointer(source + Int(sources[p]) * batch + col).loadUnaligned(as: V.self))
        }
        out.storeBytes(of: finish(a), toByteOffset: col * 4, as: V.self)
        col += w
      }
      while col < batch {
        var a = start
        for p in begin..<end { a = a.addingProduct(value(p), source[Int(sources[p]) * batch + col]) }
        destination[o * batch + col] = relu ? max(a, 0) : a
        col += 1
      }
    }
  }

  /// `weightedRowSums`, blocked over the source rows so that a block of them stays in L1 while
  /// every destination row that reads from it is processed (`SourceBlocks`).
  ///
  /// The unblocked kernel reads each connection's source row (512 bytes at B = 128) from L2;
  /// here a destination row is loaded into the register tile once per block, gathers its
  /// connections into that block from L1, and is stored back: per (row, block) segment one
  /// destination row in and out of L2 instead of one source row per connection. Each
  /// destination element still adds its connections in ascending position, one FMA each,
  /// starting from `initial`, so the result is bit-identical to `weightedRowSums`. Column tiles
  /// of eight vectors only; the columns past the last whole tile go to `weightedRowSums`.
  @inline(__always)
  static func blockedWeightedRowSums(
    rowStart: UnsafePointer<Int32>, sources: UnsafePointer<Int32>, values: UnsafePointer<Float>,
    valueIndex: UnsafePointer<Int32>?, initial: UnsafePointer<Float>?, blocks: SourceBlocks.View,
    source: UnsafePointer<Float>, batch: Int,
    destination: UnsafeMutablePointer<Float>, rows: Range<Int>, relu: Bool
  ) {
    typealias V = Lanes
    let w = V.scalarCount
    let zero = V()
    @inline(__always) func value(_ p: Int) -> Float {
      if let valueIndex { return values[Int(valueIndex[p])] }
      return values[p]
    }
    @inline(__always) func finish(_ a: V) -> V { relu ? a.replacing(with: zero, where: a .< zero) : a }
    let tiled = batch / (8 * w) * (8 * w)
    let last = blocks.blockCount - 1
    for col in stride(from: 0, to: tiled, by: 8 * w) {
      for k in 0...last {
        for o in rows {
          let segment = blocks.segment(o, k)
          // A row with nothing in this block is left alone, except that the first block
          // writes its initial value and the last one applies f.
          if segment.isEmpty && k != 0 && k != last { continue }
          let out = UnsafeMutableRawPointer(destination + o * batch + col)
          var a0: V, a1: V, a2: V, a3: V, a4: V, a5: V, a6: V, a7: V
          if k == 0 {
            a0 = V(repeating: initial?[o] ?? 0)
            a1 = a0; a2 = a0; a3 = a0; a4 = a0; a5 = a0; a6 = a0; a7 = a0
          } else {
            a0 = out.loadUnaligned(fromByteOffset: 0 * w * 4, as: V.self)
            a1 = out.loadUnaligned(fromByteOffset: 1 * w * 4, as: V.self)
            a2 = out.loadUnaligned(fromByteOffset: 2 * w * 4, as: V.self)
            a3 = out.loadUnaligned(fromByteOffset: 3 * w * 4, as: V.self)
            a4 = out.loadUnaligned(fromByteOffset: 4 * w * 4, as: V.self)
            a5 = out.loadUnaligned(fromByteOffset: 5 * w * 4, as: V.self)
            a6 = out.loadUnaligned(fromByteOffset: 6 * w * 4, as: V.self)
            a7 = out.loadUnaligned(fromByteOffset: 7 * w * 4, as: V.self)
          }
          for p in segment {
            let v = V(repeating: value(p))
            let s = UnsafeRawPointer(source + Int(sources[p]) * batch + col)
            a0 = a0.addingProduct(v, s.loadUnaligned(fromByteOffset: 0 * w * 4, as: V.self))
            a1 = a1.addingProduct(v, s.loadUnaligned(fromByteOffset: 1 * w * 4, as: V.self))
            a2 = a2.addingProduct(v, s.loadUnaligned(fromByteOffset: 2 * w * 4, as: V.self))
            a3 = a3.addingProduct(v, s.loadUnaligned(fromByteOffset: 3 * w * 4, as: V.self))
            a4 = a4.addingProduct(v, s.loadUnaligned(fromByteOffset: 4 * w * 4, as: V.self))
            a5 = a5.addingProduct(v, s.loadUnaligned(fromByteOffset: 5 * w * 4, as: V.self))
            a6 = a6.addingProduct(v, s.loadUnaligned(fromByteOffset: 6 * w * 4, as: V.self))
            a7 = a7.addingProduct(v, s.loadUnaligned(fromByteOffset: 7 * w * 4, as: V.self))
          }
          if k == last {
            a0 = finish(a0); a1 = finish(a1); a2 = finish(a2); a3 = finish(a3)
            a4 = finish(a4); a5 = finish(a5); a6 = finish(a6); a7 = finish(a7)
          }
          out.storeBytes(of: a0, toByteOffset: 0 * w * 4, as: V.self)
          out.storeBytes(of: a1, toByteOffset: 1 * w * 4, as: V.self)
          out.storeBytes(of: a2, toByteOffset: 2 * w * 4, as: V.self)
          out.storeBytes(of: a3, toByteOffset: 3 * w * 4, as: V.self)
          out.storeBytes(of: a4, toByteOffset: 4 * w * 4, as: V.self)
          out.storeBytes(of: a5, toByteOffset: 5 * w * 4, as: V.self)
          out.storeBytes(of: a6, toByteOffset: 6 * w * 4, as: V.self)
          out.storeBytes(of: a7, toByteOffset: 7 * w * 4, as: V.self)
        }
      }
    }
    if tiled < batch {
      weightedRowSums(
        rowStart: rowStart, sources: sources, values: values, valueIndex: valueIndex,
        initial: initial, source: source, batch: batch, destination: destination, rows: rows,
        relu: relu, firstColumn: tiled)
    }
  }

  /// (a·c0, a·c1, a·c2, a·c3) over `count` floats: four `dot`s sharing each load of `a`, each
  /// computed exactly as `dot` computes it.
  @inline(__always)
  static func dot4(
    _ a: UnsafePointer<Float>, _ c0: UnsafePointer<Float>, _ c1: UnsafePointer<Float>,
    _ c2: UnsafePointer<Float>, _ c3: UnsafePointer<Float>, count: Int
  ) -> (Float, Float, Float, Float) {
    typealias V = Lanes
    let w = V.scalarCount
    let ra = UnsafeRawPointer(a)
    let r0 = UnsafeRawPointer(c0)
    let r1 = UnsafeRawPointer(c1)
    let r2 = UnsafeRawPointer(c2)
    let r3 = UnsafeRawPointer(c3)
    var s0 = V()
    var s1 = V()
    var s2 = V()
    var s3 = V()
    var i = 0
    while i + w <= count {
      let o = i * 4
      let va = ra.loadUnaligned(fromByteOffset: o, as: V.self)
      s0 = s0.addingProduct(va, r0.loadUnaligned(fromByteOffset: o, as: V.self))
      s1 = s1.addingProduct(va, r1.loadUnaligned(fromByteOffset: o, as: V.self))
      s2 = s2.addingProduct(va, r2.loadUnaligned(fromByteOffset: o, as: V.self))
      s3 = s3.addingProduct(va, r3.loadUnaligned(fromByteOffset: o, as: V.self))
      i += w
    }
    let sums = laneSums(s0, s1, s2, s3)
    var d = (sums[0], sums[1], sums[2], sums[3])
    while i < count {
      d.0 += a[i] * c0[i]
      d.1 += a[i] * c1[i]
      d.2 += a[i] * c2[i]
      d.3 += a[i] * c3[i]
      i += 1
    }
    return d
  }

  /// Σ_b a[b]·c[b]: one `Lanes` accumulator over the whole vectors in order, its lane sum, then
  /// the remaining scalars in order. Every SDDMM path computes each gradient in this order, so
  /// grouping and blocking do not change a bit of the result.
  @inline(__always)
  static func dot(_ a: UnsafePointer<Float>, _ c: UnsafePointer<Float>, count: Int) -> Float {
    typealias V = Lanes
    let w = V.scalarCount
    let ra = UnsafeRawPointer(a)
    let rc = UnsafeRawPointer(c)
    var acc = V()
    var i = 0
    while i + w <= count {
      acc = acc.addingProduct(ra.loadUnaligned(fromByteOffset: i * 4, as: V.self), rc.loadUnaligned(fromByteOffset: i * 4, as: V.self))
      i += w
    }
    var s = laneSum(acc)
    while i < count {
      s += a[i] * c[i]
      i += 1
    }
    return s
  }
}

// MARK: - Naive references

/// Plain loops the fast kernels are tested against (Double accumulation, no tiling).
public enum SparseKernelsReference {
  public static func spmmForward(
    mask: Mask, values: [Float], bias: [Float]?, x: [Float], batch: Int
  ) -> [Float] {
    var y = [Float](repeating: 0, count: mask.nOut * batch)
    for o in 0..<mask.nOut {
      for b in 0..<batch {
        var s = Double(bias?[o] ?? 0)
        for p in Int(mask.rowStart[o])..<Int(mask.rowStart[o + 1]) {
          s += Double(values[p]) * Double(x[Int(mask.columns[p]) * batch + b])
        }
        y[o * batch + b] = Float(s)
      }
    }
    return y
  }

  public static func spmmTransposed(mask: Mask, values: [Float], dy: [Float], batch: Int)
    -> [Float]
  {
    var dx = [Double](repeating: 0, count: mask.nIn * batch)
    for o in 0..<mask.nOut {
      for p in Int(mask.rowStart[o])..<Int(mask.rowStart[o + 1]) {
        let i = Int(mask.columns[p])
        for b in 0..<batch { dx[i * batch + b] += Double(values[p]) * Double(dy[o * batch + b]) }
      }
    }
    return dx.map { Float($0) }
  }

  public static func sddmmWeightGrad(mask: Mask, dy: [Float], x: [Float], batch: Int) -> [Float] {
    var g = [Float](repeating: 0, count: mask.nnz)
    for o in 0..<mask.nOut {
      for p in Int(mask.rowStart[o])..<Int(mask.rowStart[o + 1]) {
        var s = 0.0
        for b in 0..<batch { s += Double(dy[o * batch + b]) * Double(x[Int(mask.columns[p]) * batch + b]) }
        g[p] = Float(s)
      }
    }
    return g
  }
}
