#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif

/// The few special functions and number formats the profile code needs, kept in one namespace.
enum ProfileMath {
  /// Φ⁻¹(p): the standard normal quantile, for 0 < p < 1.
  ///
  /// Starts from Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4) and polishes with three Halley
  /// steps on Φ(z) − p, where Φ(z) = ½·erfc(−z/√2) comes from libm; each step roughly triples the
  /// number of correct digits, so the result is accurate to ~1e-15 across (1e-300, 1 − 1e-16).
  static func normalQuantile(_ p: Double) -> Double {
    precondition(p > 0 && p < 1, "normalQuantile needs 0 < p < 1")
    let tail = min(p, 1 - p)
    let t = (-2 * log(tail)).squareRoot()
    let numerator = 2.515517 + t * (0.802853 + t * 0.010328)
    let denominator = 1 + t * (1.432788 + t * (0.189269 + t * 0.001308))
    var z = t - numerator / denominator
    if p < 0.5 { z = -z }
    for _ in 0..<3 {
      let cdf = 0.5 * erfc(-z / 2.0.squareRoot())
      let density = exp(-0.5 * z * z) / (2 * Double.pi).squareRoot()
      let r = (cdf - p) / density
      z -= r / (1 + 0.5 * z * r)
    }
    return z
  }

  /// log σ(z) = −log(1 + e^(−z)), without overflow for large |z|.
  static func logSigmoid(_ z: Double) -> Double {
    z >= 0 ? -log1p(exp(-z)) : z - log1p(exp(z))
  }

  /// `x` rounded to `places` decimals with trailing zeros dropped: 0.5773 → "0.58", 2.0 → "2".
  static func decimal(_ x: Double, places: Int = 2) -> String {
    guard x.isFinite else { return "\(x)" }
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let scaled = (abs(x) * scale).rounded()
    if scaled == 0 { return "0" }
    let whole = Int(scaled / scale)
    var digits = String(Int(scaled) - whole * Int(scale))
    digits = String(repeating: "0", count: places - digits.count) + digits
    while digits.last == "0" { digits.removeLast() }
    let sign = x < 0 ? "-" : ""
    return digits.isEmpty ? "\(sign)\(whole)" : "\(sign)\(whole).\(digits)"
  }

  /// A user-given number echoed back as typed: integers without ".0", others in Swift's shortest
  /// round-trip form (`12`, `1.5`, `0.001`).
  static func echo(_ x: Double) -> String {
    if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
    return "\(x)"
  }
}
