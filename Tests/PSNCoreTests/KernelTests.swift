import Foundation
import Testing
@testable import PSNCore

/// Fast kernels against their naive references, over batch sizes that exercise every tile path
/// (64-wide, 8-wide, scalar remainder) and over 1 and 2 threads (results must be bit-identical).
@Suite struct KernelTests {
  static let batches = [1, 7, 8, 64, 71, 128, 200]

  func randomMatrix(_ n: Int, _ rng: inout PSNRandom) -> [Float] {
    (0..<n).map { _ in Float(rng.nextNormal()) }
  }

  func close(_ a: [Float], _ b: [Float], tolerance: Float = 1e-4) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * (1 + abs($1)) }
  }

  @Test(arguments: batches)
  func sparseKernelsMatchReference(batch: Int) {
    var rng = PSNRandom(seed: UInt64(batch), stream: "kernel-test")
    let mask = Mask.random(nIn: 37, nOut: 23, nnz: 300, rng: &rng)
    let values = randomMatrix(mask.nnz, &rng)
    let bias = randomMatrix(23, &rng)
    let x = randomMatrix(37 * batch, &rng)
    let dy = randomMatrix(23 * batch, &rng)
    let layer = Layer(nIn: 37, nOut: 23, mask: mask, weights: values, bias: bias)
    let csc = CSCIndex(mask)
    var outputs: [[Float]] = []
    for threads in [1, 2] {
      var y = [Float](repeating: .nan, count: 23 * batch)
      var dx = [Float](repeating: .nan, count: 37 * batch)
      var g = [Float](repeating: .nan, count: mask.nnz)
      var db = [Float](repeating: .nan, count: 23)
      x.withUnsafeBufferPointer { xp in
        y.withUnsafeMutableBufferPointer { layer.forward(xp.baseAddress!, batch: batch, into: $0.baseAddress!, threads: threads) }
        dy.withUnsafeBufferPointer { dyp in
          dx.withUnsafeMutableBufferPointer { layer.inputGradient(dz: dyp.baseAddress!, batch: batch, csc: csc, into: $0.baseAddress!, threads: threads) }
          g.withUnsafeMutableBufferPointer { gp in
            db.withUnsafeMutableBufferPointer { layer.weightGradients(dz: dyp.baseAddress!, a: xp.baseAddress!, batch: batch, dW: gp.baseAddress!, db: $0.baseAddress!, threads: threads) }
          }
        }
      }
      let yRef = SparseKernelsReference.spmmForward(mask: mask, values: values, bias: bias, x: x, batch: batch)
      #expect(close(y, yRef))
      // The fused ReLU gives max(Z, 0) of the same Z, bit for bit.
      var h = [Float](repeating: .nan, count: 23 * batch)
      x.withUnsafeBufferPointer { xp in
        h.withUnsafeMutableBufferPointer { layer.forward(xp.baseAddress!, batch: batch, into: $0.baseAddress!, threads: threads, relu: true) }
      }
      #expect(h == y.map { max($0, 0) })
      #expect(h.contains(0) && h.contains { $0 > 0 }, "the case exercises both sides of the ReLU")
      #expect(close(dx, SparseKernelsReference.spmmTransposed(mask: mask, values: values, dy: dy, batch: batch)))
      #expect(close(g, SparseKernelsReference.sddmmWeightGrad(mask: mask, dy: dy, x: x, batch: batch)))
      let dbRef = (0..<23).map { o in (0..<batch).reduce(Float(0)) { $0 + dy[o * batch + $1] } }
      #expect(close(db, dbRef))
      outputs.append(y + dx + g + db)
    }
    #expect(outputs[0] == outputs[1], "1 and 2 threads must give bit-identical results")
  }

  /// Large enough that the rows really are split over two threads.
  @Test func twoThreadsSplitLargeLayersIdentically() {
    var rng = PSNRandom(seed: 4, stream: "kernel-test.large")
    let mask = Mask.random(nIn: 784, nOut: 300, nnz: 23520, rng: &rng)
    let values = randomMatrix(mask.nnz, &rng)
    let x = randomMatrix(784 * 128, &rng)
    let layer = Layer(nIn: 784, nOut: 300, mask: mask, weights: values, bias: [Float](repeating: 0.5, count: 300))
    var ys: [[Float]] = []
    for threads in [1, 2] {
      var y = [Float](repeating: 0, count: 300 * 128)
      x.withUnsafeBufferPointer { xp in
        y.withUnsafeMutableBufferPointer { layer.forward(xp.baseAddress!, batch: 128, into: $0.baseAddress!, threads: threads) }
      }
      ys.append(y)
    }
    #expect(ys[0] == ys[1])
    #expect(close(ys[0], SparseKernelsReference.spmmForward(mask: mask, values: values, bias: layer.bias, x: x, batch: 128)))
    // 10 % density: the blocked kernels run here (inputs for the forward and weight gradient,
    // outputs for the transposed pass).
    #expect(layer.inputBlocks != nil)
    let csc = CSCIndex(mask)
    #expect(csc.blocks != nil)
    let dy = randomMatrix(300 * 128, &rng)
    var backward: [[Float]] = []
    for threads in [1, 2] {
      var dx = [Float](repeating: .nan, count: 784 * 128)
      var g = [Float](repeating: .nan, count: mask.nnz)
      var db = [Float](repeating: .nan, count: 300)
      x.withUnsafeBufferPointer { xp in
        dy.withUnsafeBufferPointer { dyp in
          dx.withUnsafeMutableBufferPointer { layer.inputGradient(dz: dyp.baseAddress!, batch: 128, csc: csc, into: $0.baseAddress!, threads: threads) }
          g.withUnsafeMutableBufferPointer { gp in
            db.withUnsafeMutableBufferPointer { layer.weightGradients(dz: dyp.baseAddress!, a: xp.baseAddress!, batch: 128, dW: gp.baseAddress!, db: $0.baseAddress!, threads: threads) }
          }
        }
      }
      #expect(close(dx, SparseKernelsReference.spmmTransposed(mask: mask, values: values, dy: dy, batch: 128)))
      #expect(close(g, SparseKernelsReference.sddmmWeightGrad(mask: mask, dy: dy, x: x, batch: 128)))
      backward.append(dx + g)
    }
    #expect(backward[0] == backward[1])
  }

  /// A mask with empty rows and a band of inputs no row reads (so whole blocks are empty), for
  /// the blocked kernels.
  func maskWithGaps(nIn: Int, nOut: Int, density: Double, _ rng: inout PSNRandom) -> Mask {
    let rows = (0..<nOut).map { o -> [Int] in
      if o % 5 == 2 { return [] }
      return (0..<nIn).filter { i in !(40..<90).contains(i) && Double(rng.next() % 1000) < density * 1000 }
    }
    return try! Mask(nIn: nIn, nOut: nOut, rows: rows)
  }

  /// The L1-blocked kernels give the unblocked kernels' results bit for bit, for block sizes
  /// from 1 to one block over everything, batch sizes off the 128-float tile, rows with no
  /// connections, blocks with none, and row ranges split anywhere (as threads split them); and
  /// both match the references.
  @Test(arguments: [1, 7, 64, 71, 128, 200])
  func blockedKernelsMatchUnblockedBitForBit(batch: Int) {
    var rng = PSNRandom(seed: UInt64(batch), stream: "kernel-test.blocked")
    let (nIn, nOut) = (150, 41)
    let mask = maskWithGaps(nIn: nIn, nOut: nOut, density: 0.3, &rng)
    let values = randomMatrix(mask.nnz, &rng)
    let bias = randomMatrix(nOut, &rng)
    let x = randomMatrix(nIn * batch, &rng)
    let dy = randomMatrix(nOut * batch, &rng)
    let csc = CSCIndex(mask)
    func run(blockSize: Int?, splits: [Int]) -> (y: [Float], h: [Float], dx: [Float], g: [Float], db: [Float]) {
      var y = [Float](repeating: .nan, count: nOut * batch)
      var h = y
      var dx = [Float](repeating: .nan, count: nIn * batch)
      var g = [Float](repeating: .nan, count: mask.nnz)
      var db = [Float](repeating: .nan, count: nOut)
      let forward = blockSize.map { SourceBlocks(rowStart: mask.rowStart, sources: mask.columns, rowCount: nOut, sourceCount: nIn, maximumBlockSize: $0) }
      let transposed = blockSize.map { SourceBlocks(rowStart: csc.columnStart, sources: csc.rows, rowCount: nIn, sourceCount: nOut, maximumBlockSize: $0) }
      func ranges(_ n: Int) -> [Range<Int>] {
        let cuts = [0] + splits.filter { $0 < n } + [n]
        return zip(cuts, cuts.dropFirst()).map { $0..<$1 }
      }
      forward.withView { fb in
        for r in ranges(nOut) {
          SparseKernels.spmmForward(rowStart: mask.rowStart, columns: mask.columns, values: values, bias: bias, x: x, batch: batch, y: &y, rows: r, blocks: fb)
          SparseKernels.spmmForward(rowStart: mask.rowStart, columns: mask.columns, values: values, bias: bias, x: x, batch: batch, y: &h, rows: r, relu: true, blocks: fb)
          db.withUnsafeMutableBufferPointer { dbp in
            SparseKernels.sddmmWeightGrad(rowStart: mask.rowStart, columns: mask.columns, dy: dy, x: x, batch: batch, grad: &g, rows: r, blocks: fb, biasGrad: dbp.baseAddress!)
          }
        }
      }
      transposed.withView { tb in
        csc.withPointers { ix in
          for r in ranges(nIn) {
            let p = CSCIndex.Pointers(columnStart: ix.columnStart, rows: ix.rows, valueIndex: ix.valueIndex, blocks: tb)
            SparseKernels.spmmTransposed(index: p, values: values, dy: dy, batch: batch, dx: &dx, rows: r)
          }
        }
      }
      return (y, h, dx, g, db)
    }
    let plain = run(blockSize: nil, splits: [])
    #expect(close(plain.y, SparseKernelsReference.spmmForward(mask: mask, values: values, bias: bias, x: x, batch: batch)))
    #expect(plain.h == plain.y.map { max($0, 0) })
    #expect(close(plain.dx, SparseKernelsReference.spmmTransposed(mask: mask, values: values, dy: dy, batch: batch)))
    #expect(close(plain.g, SparseKernelsReference.sddmmWeightGrad(mask: mask, dy: dy, x: x, batch: batch)))
    // The bias gradient summed beside the weight gradient (from the register tile at 128) is
    // rowSums' to the bit, and the sum of each row.
    var rowSums = [Float](repeating: .nan, count: nOut)
    SparseKernels.rowSums(dy, columns: batch, into: &rowSums, rows: 0..<nOut)
    #expect(plain.db == rowSums)
    #expect(close(rowSums, (0..<nOut).map { o in Float((0..<batch).reduce(0.0) { $0 + Double(dy[o * batch + $1]) }) }))
    for blockSize in [1, 16, 37, 64, 1000] {
      for splits in [[], [1, 2, 19, 30]] {
        let blocked = run(blockSize: blockSize, splits: splits)
        #expect(blocked.y == plain.y, "forward, block size \(blockSize), splits \(splits)")
        #expect(blocked.h == plain.h, "forward with ReLU, block size \(blockSize), splits \(splits)")
        #expect(blocked.dx == plain.dx, "transposed, block size \(blockSize), splits \(splits)")
        #expect(blocked.g == plain.g, "weight gradient, block size \(blockSize), splits \(splits)")
        #expect(blocked.db == plain.db, "bias gradient, block size \(blockSize), splits \(splits)")
      }
    }
  }

  /// Each row's connections split into one contiguous segment per block, in order, each
  /// holding exactly the connections whose source lies in that block.
  @Test func sourceBlocksSegmentTheRows() {
    var rng = PSNRandom(seed: 3, stream: "kernel-test.segments")
    let mask = maskWithGaps(nIn: 150, nOut: 41, density: 0.2, &rng)
    for blockSize in [1, 7, 50, 150, 151] {
      let blocks = SourceBlocks(rowStart: mask.rowStart, sources: mask.columns, rowCount: 41, sourceCount: 150, maximumBlockSize: blockSize)
      #expect(blocks.blockCount == (150 + blockSize - 1) / blockSize)
      #expect(blocks.blockSize <= blockSize && blocks.blockSize * blocks.blockCount >= 150)
      blocks.withView { v in
        for o in 0..<41 {
          var p = Int(mask.rowStart[o])
          for k in 0..<v.blockCount {
            let segment = v.segment(o, k)
            #expect(segment.lowerBound == p)
            for q in segment { #expect(Int(mask.columns[q]) / blocks.blockSize == k) }
            p = segment.upperBound
          }
          #expect(p == Int(mask.rowStart[o + 1]))
        }
      }
    }
    // Built only where blocking pays: not for a source of one block, nor for sparse rows.
    let sparse = Mask.random(nIn: 784, nOut: 300, nnz: 2352, rng: &rng)
    let denser = Mask.random(nIn: 784, nOut: 300, nnz: 23520, rng: &rng)
    #expect(Layer(nIn: 784, nOut: 300, mask: sparse).inputBlocks == nil)
    #expect(Layer(nIn: 784, nOut: 300, mask: denser).inputBlocks != nil)
    #expect(Layer(nIn: 90, nOut: 300, mask: Mask.random(nIn: 90, nOut: 300, nnz: 9000, rng: &rng)).inputBlocks == nil)
    #expect(CSCIndex(denser).blocks != nil)
  }

  /// The lane-sum tree gives each vector's sum the same bits whatever it is summed beside.
  @Test func laneSumsDoNotDependOnTheirNeighbours() {
    var rng = PSNRandom(seed: 5, stream: "kernel-test.lanes")
    func vector() -> SparseKernels.Lanes { SparseKernels.Lanes(randomMatrix(SparseKernels.Lanes.scalarCount, &rng)) }
    for _ in 0..<20 {
      let (a, b, c, d) = (vector(), vector(), vector(), vector())
      let sums = SparseKernels.laneSums(a, b, c, d)
      #expect(sums[0] == SparseKernels.laneSum(a) && sums[1] == SparseKernels.laneSum(b))
      #expect(sums[2] == SparseKernels.laneSums(c, a, a, a)[0] && sums[3] == SparseKernels.laneSums(b, c, d, d)[3])
      #expect(abs(Double(sums[0]) - a.indices.reduce(0.0) { $0 + Double(a[$1]) }) < 1e-4)
    }
  }

  /// Scratch for the kernels starts on a cache line (a 64-byte vector load is then one line).
  @Test func activationBuffersStartOnCacheLines() {
    let buffers = ActivationBuffers(sizes: [784, 300, 10], capacity: 128)
    #expect(buffers.values.allSatisfy { Int(bitPattern: $0) % 64 == 0 })
  }

  /// A dense layer's forward (GEMM, then ReLU) against the plain-loop reference, with and
  /// without the ReLU, over batch sizes that are not multiples of anything.
  @Test(arguments: [1, 13, 128])
  func denseForwardMatchesReference(batch: Int) {
    var rng = PSNRandom(seed: UInt64(batch), stream: "kernel-test.dense")
    let (nIn, nOut) = (29, 17)
    let w = randomMatrix(nIn * nOut, &rng)
    let bias = randomMatrix(nOut, &rng)
    let x = randomMatrix(nIn * batch, &rng)
    let layer = Layer(nIn: nIn, nOut: nOut, mask: nil, weights: w, bias: bias)
    let reference = SparseKernelsReference.spmmForward(mask: Mask.dense(nIn: nIn, nOut: nOut), values: w, bias: bias, x: x, batch: batch)
    for relu in [false, true] {
      var y = [Float](repeating: .nan, count: nOut * batch)
      x.withUnsafeBufferPointer { xp in
        y.withUnsafeMutableBufferPointer { layer.forward(xp.baseAddress!, batch: batch, into: $0.baseAddress!, threads: 1, relu: relu) }
      }
      #expect(close(y, relu ? reference.map { max($0, 0) } : reference))
    }
  }

  /// The batch gather (8×8 register transposes, split over threads) against plain indexing, for
  /// batch sizes and feature counts that are and are not multiples of 8.
  @Test(arguments: [(1, 5), (8, 8), (13, 20), (128, 784), (61, 54)])
  func gatherTransposesTheChosenSamples(batch: Int, features: Int) {
    var rng = PSNRandom(seed: UInt64(batch * 1000 + features), stream: "kernel-test.gather")
    let samples = 300
    let data = randomMatrix(samples * features, &rng)
    let indices = (0..<batch).map { _ in Int32(rng.next() % UInt64(samples)) }
    for threads in [1, 2] {
      let buffers = ActivationBuffers(sizes: [features, 3], capacity: batch)
      data.withUnsafeBufferPointer { f in
        indices.withUnsafeBufferPointer { ix in
          buffers.gather(features: f.baseAddress!, featureCount: features, indices: ix, threads: threads)
        }
      }
      var mismatches = 0
      for i in 0..<features {
        for b in 0..<batch where buffers.values[0][i * batch + b] != data[Int(indices[b]) * features + i] { mismatches += 1 }
      }
      #expect(mismatches == 0, "batch \(batch), \(features) features, \(threads) threads")
    }
  }

  /// Gathering from pixel bytes writes exactly the floats gathering from the features does
  /// (Float(b) / 255, eight lanes or one), over every tile path and both thread counts.
  @Test(arguments: [(1, 5), (8, 8), (13, 20), (128, 784), (61, 54)])
  func gatherFromPixelBytesGivesTheSameFloats(batch: Int, features: Int) {
    var rng = PSNRandom(seed: UInt64(batch * 7 + features), stream: "kernel-test.gather-bytes")
    let samples = 300
    let bytes = (0..<samples * features).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    let split = Dataset.Split(features: bytes.map { Float($0) / 255 }, labels: [Int32](repeating: 0, count: samples)).withPixelBytes()
    #expect(split.pixelBytes == bytes)
    let indices = (0..<batch).map { _ in Int32(rng.next() % UInt64(samples)) }
    for threads in [1, 2] {
      let fromFloats = ActivationBuffers(sizes: [features, 3], capacity: batch)
      let fromBytes = ActivationBuffers(sizes: [features, 3], capacity: batch)
      indices.withUnsafeBufferPointer { ix in
        split.features.withUnsafeBufferPointer { fromFloats.gather(features: $0.baseAddress!, featureCount: features, indices: ix, threads: threads) }
        bytes.withUnsafeBufferPointer { fromBytes.gather(pixelBytes: $0.baseAddress!, featureCount: features, indices: ix, threads: threads) }
      }
      let n = features * batch
      #expect((0..<n).allSatisfy { fromFloats.values[0][$0].bitPattern == fromBytes.values[0][$0].bitPattern })
    }
  }

  /// The byte gather's division-free b / 255 gives IEEE b / 255 for every byte: 16 samples
  /// whose rows run through all 256 byte values, each from a different start.
  @Test func byteGatherIsExactForEveryByte() {
    let features = 256 + 5  // a tail of features past the 16-wide blocks
    let samples = 17  // and one sample past the 16-sample block
    let bytes = (0..<samples * features).map { UInt8(truncatingIfNeeded: ($0 % features) + 15 * ($0 / features)) }
    let indices = (0..<Int32(samples)).reversed().map { $0 }
    let buffers = ActivationBuffers(sizes: [features, 3], capacity: samples)
    bytes.withUnsafeBufferPointer { p in
      indices.withUnsafeBufferPointer { buffers.gather(pixelBytes: p.baseAddress!, featureCount: features, indices: $0) }
    }
    for (k, s) in indices.enumerated() {
      for i in 0..<features {
        let expected = Float(bytes[Int(s) * features + i]) / 255
        #expect(buffers.values[0][i * samples + k].bitPattern == expected.bitPattern, "sample \(s) feature \(i)")
      }
    }
  }

  /// Only features that are all exactly b / 255 get pixel bytes, and a validation split carves
  /// the bytes with the features.
  @Test func pixelBytesOnlyWhereExactAndCarvedWithTheSplit() throws {
    let labels: [Int32] = [0, 1, 0, 1]
    #expect(Dataset.Split(features: [0, 0.5, 1, 0.25], labels: labels).withPixelBytes().pixelBytes == nil)
    #expect(Dataset.Split(features: [0, 1, -1 / 255, 1], labels: labels).withPixelBytes().pixelBytes == nil)
    let bytes: [UInt8] = [0, 255, 3, 128, 7, 9, 200, 1]
    let split = Dataset.Split(features: bytes.map { Float($0) / 255 }, labels: labels).withPixelBytes()
    let (picked, rest) = split.partition(choosing: [1, 3], featureCount: 2)
    #expect(picked.pixelBytes == [3, 128, 200, 1] && rest.pixelBytes == [0, 255, 7, 9])
    #expect(picked.features == [3, 128, 200, 1].map { Float($0) / 255 })
  }

  /// OpenBLAS is told its kernel family from the CPU flags (it misdetects newer CPUs and falls
  /// back to SSE3 kernels); a CPU it cannot help is left to OpenBLAS's own choice.
  @Test func openBLASCoreTypeFromFlags() {
    #expect(OpenBLAS.coreType(flags: ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx2", "fma"]) == "SkylakeX")
    #expect(OpenBLAS.coreType(flags: ["avx512f", "avx2", "fma"]) == "Haswell", "AVX-512 F alone is not what SkylakeX kernels need")
    #expect(OpenBLAS.coreType(flags: ["avx2", "fma", "sse4_2"]) == "Haswell")
    #expect(OpenBLAS.coreType(flags: ["avx", "sse4_2"]) == nil)
    #expect(OpenBLAS.coreType(flags: []) == nil)
    #expect(!Gemm.coreName.isEmpty)
  }

  @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
  func gemmMatchesReference(transposeA: Bool, transposeB: Bool) {
    var rng = PSNRandom(seed: 2, stream: "gemm-test")
    let (m, n, k) = (13, 17, 29)
    let a = randomMatrix(m * k, &rng)
    let b = randomMatrix(k * n, &rng)
    let c0 = randomMatrix(m * n, &rng)
    var fast = c0
    var slow = c0
    let lda = transposeA ? m : k
    let ldb = transposeB ? k : n
    a.withUnsafeBufferPointer { ap in
      b.withUnsafeBufferPointer { bp in
        fast.withUnsafeMutableBufferPointer {
          Gemm.multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 0.5, a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb, beta: 2, c: $0.baseAddress!, ldc: n)
        }
        slow.withUnsafeMutableBufferPointer {
          Gemm.reference(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 0.5, a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb, beta: 2, c: $0.baseAddress!, ldc: n)
        }
      }
    }
    #expect(close(fast, slow))
  }

  @Test func transposedIndexListsEveryConnectionOnce() {
    var rng = PSNRandom(seed: 8)
    let mask = Mask.random(nIn: 50, nOut: 40, nnz: 333, rng: &rng)
    let csc = CSCIndex(mask)
    var seen = Set<Int32>()
    for i in 0..<50 {
      var previousRow: Int32 = -1
      for q in Int(csc.columnStart[i])..<Int(csc.columnStart[i + 1]) {
        let o = csc.rows[q]
        let p = Int(csc.valueIndex[q])
        #expect(o > previousRow)
        previousRow = o
        #expect(mask.columns[p] == Int32(i))
        #expect(p >= Int(mask.rowStart[Int(o)]) && p < Int(mask.rowStart[Int(o) + 1]))
        seen.insert(Int32(p))
      }
    }
    #expect(seen.count == mask.nnz)
  }

  @Test func softmaxCrossEntropyKnownValues() {
    // Two samples, three classes, feature-major logits Z[c, b].
    let z: [Float] = [1, 0, 2, 0, 3, 0]  // sample 0: (1, 2, 3); sample 1: (0, 0, 0)
    let y: [Int32] = [2, 1]
    var d = [Float](repeating: 0, count: 6)
    let r = z.withUnsafeBufferPointer { zp in
      y.withUnsafeBufferPointer { yp in
        d.withUnsafeMutableBufferPointer {
          ActivationKernels.softmaxCrossEntropy(logits: zp.baseAddress!, classes: 3, batch: 2, labels: yp.baseAddress!, dlogits: $0.baseAddress!)
        }
      }
    }
    // log(e + e² + e³) − 3 = 0.40760596; log 3 = 1.09861229
    #expect(abs(r.lossSum - (0.40760596 + 1.09861229)) < 1e-6)
    #expect(r.correct == 1)  // sample 1 ties: arg-max is class 0, label 1
    let p0 = [0.09003057, 0.24472847, 0.66524096]
    #expect(abs(Double(d[0]) - p0[0] / 2) < 1e-6)
    #expect(abs(Double(d[4]) - (p0[2] - 1) / 2) < 1e-6)
    #expect(abs(Double(d[3]) - (1.0 / 3 - 1) / 2) < 1e-6)
  }

  /// exp16 against libm's expf (computed in Double and rounded, so the reference is the
  /// correctly rounded value up to Double's own error) on a fine grid over the whole range.
  @Test func exp16AgainstLibm() {
    var worstUlps: Float = 0
    var x: Float = -87.3
    while x < 88.7 {
      let xs = SIMD16<Float>((0..<16).map { x + Float($0) * 0.0013 })
      let e = ActivationKernels.exp16(xs)
      for k in 0..<16 where xs[k] < 88.7 {
        let reference = Float(Foundation.exp(Double(xs[k])))
        worstUlps = max(worstUlps, abs(e[k] - reference) / reference.ulp)
      }
      x += 0.0208
    }
    #expect(worstUlps <= 1)
    let edges = ActivationKernels.exp16(SIMD16<Float>(
      0, -1, 1, -87.4, -100, -1e30, 89, 1e30, .infinity, -.infinity, .nan, -0.0, 1e-8, -1e-8, 88.7, -87.3))
    #expect(edges[0] == 1 && edges[11] == 1 && abs(edges[1] - 0.36787944) < 1e-7 && abs(edges[2] - 2.7182817) < 3e-7)
    #expect(edges[3] == 0 && edges[4] == 0 && edges[5] == 0 && edges[9] == 0)
    #expect(edges[6] == .infinity && edges[7] == .infinity && edges[8] == .infinity)
    #expect(edges[10].isNaN)
    #expect(abs(edges[12] - 1) <= 1.2e-7 && abs(edges[13] - 1) <= 1.2e-7)
    #expect(abs(edges[14] / Float(Foundation.exp(Double(Float(88.7)))) - 1) < 3e-7)
    #expect(abs(edges[15] / Float(Foundation.exp(Double(Float(-87.3)))) - 1) < 3e-7)
  }

  /// The vectorised softmax cross-entropy against the per-sample formula in Double, for batches
  /// that are not multiples of 16 (the tail lanes) and logits far apart (exp underflows to 0).
  @Test func softmaxCrossEntropyAgainstDouble() {
    var rng = PSNRandom(seed: 7, stream: "softmax-test")
    for (classes, batch) in [(10, 128), (7, 37), (2, 5), (10, 1), (3, 16)] {
      let z = (0..<classes * batch).map { i in
        Float(rng.nextDouble() * 20 - 10) + (i % 97 == 0 ? 120 : 0)
      }
      let y = (0..<batch).map { _ in Int32(rng.nextInt(below: classes)) }
      var d = [Float](repeating: .nan, count: classes * batch)
      var predictions = [Int32](repeating: -1, count: batch)
      let r = z.withUnsafeBufferPointer { zp in
        y.withUnsafeBufferPointer { yp in
          d.withUnsafeMutableBufferPointer { dp in
            predictions.withUnsafeMutableBufferPointer { pp in
              ActivationKernels.softmaxCrossEntropy(
                logits: zp.baseAddress!, classes: classes, batch: batch, labels: yp.baseAddress!,
                dlogits: dp.baseAddress!, predictions: pp.baseAddress!)
            }
          }
        }
      }
      var loss = 0.0
      var correct = 0
      for b in 0..<batch {
        let column = (0..<classes).map { Double(z[$0 * batch + b]) }
        let m = column.max()!
        let s = column.map { Foundation.exp($0 - m) }.reduce(0, +)
        loss += Foundation.log(s) + m - column[Int(y[b])]
        let arg = column.firstIndex(of: m)!
        if arg == Int(y[b]) { correct += 1 }
        #expect(Int(predictions[b]) == arg)
        for c in 0..<classes {
          let g = (Foundation.exp(column[c] - m) / s - (c == Int(y[b]) ? 1 : 0)) / Double(batch)
          #expect(abs(Double(d[c * batch + b]) - g) < 1e-6 / Double(batch), "class \(c) sample \(b) of \(batch)")
        }
      }
      #expect(abs(r.lossSum - loss) < 1e-5 * Double(batch))
      #expect(r.correct == correct)
    }
  }
}
