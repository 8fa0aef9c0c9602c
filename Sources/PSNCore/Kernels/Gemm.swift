import COpenBLAS

/// Dense single-precision matrix multiply, row-major, through OpenBLAS.
///
/// C[M×N] = α · op(A) · op(B) + β · C, where op(A) is M×K and op(B) is K×N.
/// `lda`, `ldb`, `ldc` are the row strides of A, B, C as stored (before the transpose).
/// Transposing an operand costs nothing: OpenBLAS reads it with the other stride
/// (../shared/notes/swift-feasibility.md §2).
public enum Gemm {
  public static func multiply(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    guard m > 0, n > 0 else { return }
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

  /// Threads OpenBLAS may use for one multiply.
  public static var threads: Int {
    get { Int(openblas_get_num_threads()) }
    set { openblas_set_num_threads(Int32(max(1, newValue))) }
  }

  /// The kernel family OpenBLAS picked for this CPU (e.g. "Haswell", "Cooperlake").
  public static var coreName: String { String(cString: openblas_get_corename()) }
}
