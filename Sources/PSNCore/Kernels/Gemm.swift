import COpenBLAS

/// Dense single-precision matrix multiply, row-major, through OpenBLAS.
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
  /// OpenBLAS's own threading off, once per process.
  private static let singleThreaded: Void = openblas_set_num_threads(1)

  public static func multiply(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int = 1
  ) {
    guard m > 0, n > 0 else { return }
    _ = singleThreaded
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
    cblas_sgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c,
      blasint(ldc))
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

  /// The kernel family OpenBLAS picked for this CPU (e.g. "Haswell", "Cooperlake").
  public static var coreName: String { String(cString: openblas_get_corename()) }
}
