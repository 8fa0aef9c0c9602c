import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// OpenBLAS, opened at run time so psn can choose its kernel family before it initialises.
///
/// Why not link it: Debian's OpenBLAS 0.3.21 (DYNAMIC_ARCH) picks its kernels when the library
/// loads, from the CPU model number. It does not know newer CPUs (e.g. the Xeon this project
/// measures on, with AVX-512) and falls back to its SSE3 "Prescott" kernels: 32 instead of
/// 145 GFLOP/s for the 784×300 layer, which made dense training 3.4× slower than it should be.
/// OpenBLAS reads `OPENBLAS_CORETYPE` once, at load, so it must be set before the library is
/// opened — too late when the program is linked against it. psn therefore opens it itself:
/// when `OPENBLAS_CORETYPE` is unset it names the family from the CPU's flags (AVX-512 →
/// SkylakeX, AVX2+FMA → Haswell; measured in docs/performance.md), and it sets
/// `OPENBLAS_NUM_THREADS=1` so OpenBLAS starts no thread pool of its own (psn splits work
/// over its own threads, see `Gemm`).
enum OpenBLAS {
  /// cblas_sgemm(order, transA, transB, M, N, K, α, A, lda, B, ldb, β, C, ldc) with
  /// CBLAS's enum values passed as C ints and blasint = Int32 (Debian's 32-bit-index build).
  typealias Sgemm = @convention(c) (
    Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
    UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32
  ) -> Void
  typealias CoreName = @convention(c) () -> UnsafePointer<CChar>?

  static let rowMajor: Int32 = 101
  static let noTrans: Int32 = 111
  static let trans: Int32 = 112

  struct Library: @unchecked Sendable {
    let sgemm: Sgemm
    let coreName: String
    /// The core type psn asked for (nil when the environment already named one).
    let requestedCoreType: String?
  }

  /// nil when no OpenBLAS shared library can be opened; `Gemm` then uses its own kernel.
  static let library: Library? = open()

  private static func open() -> Library? {
    var requested: String?
    if getenv("OPENBLAS_CORETYPE") == nil, let core = coreType(flags: cpuFlags()) {
      setenv("OPENBLAS_CORETYPE", core, 1)
      requested = core
    }
    setenv("OPENBLAS_NUM_THREADS", "1", 1)
    let names = ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"]
    guard let handle = names.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_LOCAL) }).first,
      let sgemm = dlsym(handle, "cblas_sgemm")
    else { return nil }
    var name = "unknown"
    if let f = dlsym(handle, "openblas_get_corename"),
      let s = unsafeBitCast(f, to: CoreName.self)()
    {
      name = String(cString: s)
    }
    return Library(sgemm: unsafeBitCast(sgemm, to: Sgemm.self), coreName: name, requestedCoreType: requested)
  }

  /// The OpenBLAS kernel family for a CPU with these /proc/cpuinfo flags (nil: let OpenBLAS
  /// decide). AVX-512 F/BW/VL/DQ are what OpenBLAS's SkylakeX kernels use.
  static func coreType(flags: Set<String>) -> String? {
    if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq"]) { return "SkylakeX" }
    if flags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
    return nil
  }

  /// The first processor's flags from /proc/cpuinfo (empty where there is no such file).
  static func cpuFlags() -> Set<String> {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
      let colon = line.firstIndex(of: ":")
    else { return [] }
    return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
  }
}
