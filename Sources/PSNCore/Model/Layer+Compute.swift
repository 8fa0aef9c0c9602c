/// Forward and backward passes of one layer over feature-major activations (features × batch,
/// row stride B). A dense layer uses GEMM; a sparse layer uses the CSR kernels.
extension Layer {
  /// Z[O×B] = W · A + b 1ᵀ, or H = ReLU(Z) when `relu` (fused into the sparse kernel's stores;
  /// a separate pass after the dense GEMM).
  func forward(
    _ a: UnsafePointer<Float>, batch: Int, into z: UnsafeMutablePointer<Float>, threads: Int,
    relu: Bool = false
  ) {
    weights.withUnsafeBufferPointer { w in
      bias.withUnsafeBufferPointer { b in
        if let m = mask {
          m.rowStart.withUnsafeBufferPointer { rs in
            m.columns.withUnsafeBufferPointer { cols in
              inputBlocks.withView { blocks in
                let rsp = rs.baseAddress!
                Parallel.forEachRowRange(rows: nOut, threads: threads, cumulativeCost: rsp, minimumCost: 4096 * 128 / max(batch, 1)) { rows in
                  SparseKernels.spmmForward(
                    rowStart: rsp, columns: cols.baseAddress!, values: w.baseAddress!,
                    bias: b.baseAddress!, x: a, batch: batch, y: z, rows: rows, relu: relu,
                    blocks: blocks)
                }
              }
            }
          }
        } else {
          for o in 0..<nOut {
            let v = b[o]
            for j in 0..<batch { z[o * batch + j] = v }
          }
          Gemm.multiply(
            transposeA: false, transposeB: false, m: nOut, n: batch, k: nIn,
            a: w.baseAddress!, lda: nIn, b: a, ldb: batch, beta: 1, c: z, ldc: batch, threads: threads)
          if relu { ActivationKernels.reluForward(z, count: nOut * batch) }
        }
      }
    }
  }

  /// dW = dZ · Aᵀ (at active positions only for a sparse layer: K values in CSR order; O·I for
  /// a dense one) and db = dZ · 1.
  func weightGradients(
    dz: UnsafePointer<Float>, a: UnsafePointer<Float>, batch: Int,
    dW: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>, threads: Int
  ) {
    if let m = mask {
      m.rowStart.withUnsafeBufferPointer { rs in
        m.columns.withUnsafeBufferPointer { cols in
          inputBlocks.withView { blocks in
            let rsp = rs.baseAddress!
            Parallel.forEachRowRange(rows: nOut, threads: threads, cumulativeCost: rsp, minimumCost: 4096 * 128 / max(batch, 1)) { rows in
              SparseKernels.sddmmWeightGrad(
                rowStart: rsp, columns: cols.baseAddress!, dy: dz, x: a, batch: batch, grad: dW,
                rows: rows, blocks: blocks, biasGrad: db)
            }
          }
        }
      }
    } else {
      SparseKernels.rowSums(dz, columns: batch, into: db, rows: 0..<nOut)
      denseWeightGradient(dz: dz, a: a, batch: batch, into: dW, threads: threads)
    }
  }

  /// The dense gradient dZ · Aᵀ over every position of W (O×I), active or not: what RigL's grow
  /// criterion reads, and a dense layer's ordinary weight gradient.
  func denseWeightGradient(
    dz: UnsafePointer<Float>, a: UnsafePointer<Float>, batch: Int,
    into dW: UnsafeMutablePointer<Float>, threads: Int
  ) {
    Gemm.multiply(
      transposeA: false, transposeB: true, m: nOut, n: nIn, k: batch,
      a: dz, lda: batch, b: a, ldb: batch, c: dW, ldc: nIn, threads: threads)
  }

  /// dA[I×B] = Wᵀ · dZ. A sparse layer needs its transposed index `csc`.
  func inputGradient(
    dz: UnsafePointer<Float>, batch: Int, csc: CSCIndex?, into da: UnsafeMutablePointer<Float>,
    threads: Int
  ) {
    weights.withUnsafeBufferPointer { w in
      if mask != nil, let csc {
        csc.withPointers { ix in
          let cs = ix.columnStart
          let rows = ix.rows
          let vi = ix.valueIndex
          let blocks = ix.blocks
          Parallel.forEachRowRange(rows: nIn, threads: threads, cumulativeCost: cs, minimumCost: 4096 * 128 / max(batch, 1)) { r in
            let p = CSCIndex.Pointers(columnStart: cs, rows: rows, valueIndex: vi, blocks: blocks)
            SparseKernels.spmmTransposed(
              index: p, values: w.baseAddress!, dy: dz, batch: batch, dx: da, rows: r)
          }
        }
      } else {
        precondition(mask == nil, "sparse layer needs its transposed index")
        Gemm.multiply(
          transposeA: true, transposeB: false, m: nIn, n: batch, k: nOut,
          a: w.baseAddress!, lda: nIn, b: dz, ldb: batch, c: da, ldc: batch, threads: threads)
      }
    }
  }
}
