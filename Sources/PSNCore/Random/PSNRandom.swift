/// psn's own seeded random generator: xoshiro256** (Blackman & Vigna 2018) seeded through SplitMix64.
///
/// Every random decision in psn (weight init, masks, shuffling, RigL's random growth, synthetic data)
/// draws from a `PSNRandom` derived from a user seed and a *stream name*, so that adding a new
/// consumer of randomness never shifts the numbers another consumer sees. The conversions to
/// floating point, bounded integers, normals and shuffles are written here rather than taken from
/// the standard library, whose algorithms may change between Swift releases: the same seed gives
/// bit-identical results on every run and every build.
public struct PSNRandom: RandomNumberGenerator, Sendable, Equatable {
  /// The generator state; saved and restored so interrupted training resumes identically.
  public var state: (UInt64, UInt64, UInt64, UInt64)

  /// Seeds the four state words with SplitMix64 steps from `seed`.
  public init(seed: UInt64) {
    var x = seed
    func splitmix(_ x: inout UInt64) -> UInt64 {
      x &+= 0x9E37_79B9_7F4A_7C15
      var z = x
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    state = (splitmix(&x), splitmix(&x), splitmix(&x), splitmix(&x))
  }

  /// An independent stream for one purpose: the seed is mixed with the FNV-1a hash of `stream`.
  public init(seed: UInt64, stream: String) {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in stream.utf8 {
      h ^= UInt64(byte)
      h = h &* 0x0000_0100_0000_01B3
    }
    self.init(seed: seed ^ h)
  }

  /// Restores a generator from a saved `state` (persistence of training runs).
  public init(state: (UInt64, UInt64, UInt64, UInt64)) { self.state = state }

  public static func == (a: PSNRandom, b: PSNRandom) -> Bool {
    a.state.0 == b.state.0 && a.state.1 == b.state.1 && a.state.2 == b.state.2
      && a.state.3 == b.state.3
  }

  @inlinable
  public mutating func next() -> UInt64 {
    let result = rotl(state.1 &* 5, 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = rotl(state.3, 45)
    return result
  }

  @inlinable
  func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// Uniform in [0, 1) with 24 random bits.
  @inlinable
  public mutating func nextFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

  /// Uniform in [0, 1) with 53 random bits.
  @inlinable
  public mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

  /// Uniform integer in 0..<n, unbiased (Lemire's multiply-and-reject).
  @inlinable
  public mutating func nextInt(below n: Int) -> Int {
    precondition(n > 0, "nextInt(below:) needs n > 0")
    let bound = UInt64(n)
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
    }
    return Int(product.high)
  }

  /// Standard normal deviate (Box–Muller; one of the pair is discarded so the stream position
  /// depends only on how many normals were drawn).
  public mutating func nextNormal() -> Double {
    var u1 = nextDouble()
    while u1 <= 0 { u1 = nextDouble() }
    let u2 = nextDouble()
    return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
  }

  /// Fisher–Yates shuffle in place.
  public mutating func shuffle<T>(_ a: inout [T]) {
    guard a.count > 1 else { return }
    for i in stride(from: a.count - 1, to: 0, by: -1) {
      let j = nextInt(below: i + 1)
      if i != j { a.swapAt(i, j) }
    }
  }

  /// `k` distinct integers drawn uniformly from 0..<n, in ascending order.
  ///
  /// Uses Floyd's algorithm when k is small relative to n, a partial Fisher–Yates otherwise.
  public mutating func sample(_ k: Int, from n: Int) -> [Int] {
    precondition(k >= 0 && k <= n, "sample: need 0 <= k <= n")
    if k == 0 { return [] }
    if k == n { return Array(0..<n) }
    if k * 4 < n {
      var chosen = Set<Int>(minimumCapacity: k)
      for j in (n - k)..<n {
        let t = nextInt(below: j + 1)
        if !chosen.insert(t).inserted { chosen.insert(j) }
      }
      return chosen.sorted()
    }
    var pool = Array(0..<n)
    for i in 0..<k {
      let j = i + nextInt(below: n - i)
      pool.swapAt(i, j)
    }
    return pool[0..<k].sorted()
  }
}

// Foundation-free math so PSNCore's RNG does not depend on a platform libm wrapper's overloads.
#if canImport(Glibc)
  import Glibc
  @usableFromInline func _log(_ x: Double) -> Double { Glibc.log(x) }
  @usableFromInline func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#else
  import Darwin
  @usableFromInline func _log(_ x: Double) -> Double { Darwin.log(x) }
  @usableFromInline func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
