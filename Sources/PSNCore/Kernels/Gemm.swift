/// Dense single-precision matrix multiply, row-major, through OpenBLAS (opened at run time with
/// the right kernels for the CPU, see `OpenBLAS`).
///
/// C[M×N] = α · op(A) · op(B) + β · C, where op(A) is M×K and op(B) is K×N.
/// `lda`, `ldb`, `ldc` are the row strides of A, B, C as stored (before the transpose).
/// Transposing an operand costs nothing: OpenBLAS reads it with the other stride
/// (../shared/notes/swift-feasibility.md §2).
///
/// OpenBLAS runs single-threaded; psn splits the rows of C over its own threads instead. OpenBLAS's
/// pool spins (sched_yield) between calls, stealing the core the sparse kernels and the optimizer
/// need, and one thread model for every kernel keeps results independent of the split.
public enum Gemm {
  public static func multiply(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int = 1
  ) {
    guard m > 0, n > 0 else { return }
    // Small products are not worth a hand-off (~5 µs).
    let workers = m * n * k >= 1 << 20 ? threads : 1
    Parallel.forEachRowRange(rows: m, threads: workers, minimumCost: 0) { rows in
      // Rows r of C = rows r of op(A): row offset r·lda when A is stored as is, column offset r
      // when it is stored transposed.
      let aRows = transposeA ? a + rows.lowerBound : a + rows.lowerBound * lda
      blockMultiply(
        transposeA: transposeA, transposeB: transposeB, m: rows.count, n: n, k: k, alpha: alpha,
        a: aRows, lda: lda, b: b, ldb: ldb, beta: beta, c: c + rows.lowerBound * ldc, ldc: ldc)
    }
  }

  private static func blockMultiply(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Float, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    if k == 0 {
      // OpenBLAS leaves C untouched when K == 0; the math says C = β·C.
      for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
      return
    }
    guard let blas = OpenBLAS.library else {
      reference(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a,
        lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
      return
    }
    blas.sgemm(
      OpenBLAS.rowMajor, transposeA ? OpenBLAS.trans : OpenBLAS.noTrans,
      transposeB ? OpenBLAS.trans : OpenBLAS.noTrans, Int32(m), Int32(n), Int32(k), alpha, a,
      Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  /// The naive triple loop the fast path is checked against (accumulates in Double).
  public static func reference(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    for i in 0..<m {
      for j in 0..<n {
        var s = 0.0
        for p in 0..<k {
          let aip = transposeA ? a[p * lda + i] : a[i * lda + p]
          let bpj = transposeB ? b[j * ldb + p] : b[p * ldb + j]
          s += Double(aip) * Double(bpj)
        }
        let old = beta == 0 ? 0 : Double(beta) * Double(c[i * ldc + j])
        c[i * ldc + j] = Float(Double(alpha) * s + old)
      }
    }
  }

  /// The kernel family OpenBLAS runs (e.g. "SkylakeX", "Haswell"), or "none (naive fallback)"
  /// when no OpenBLAS library could be opened.
  public static var coreName: String { OpenBLAS.library?.coreName ?? "none (naive fallback)" }
}
