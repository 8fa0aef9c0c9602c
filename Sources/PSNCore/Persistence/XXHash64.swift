/// XXH64 (Yann Collet's xxHash, 64-bit variant, seed 0 by default), as specified in
/// https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md and computed by Python's
/// `xxhash.xxh64(data).intdigest()`: the tests check published and Python-computed values.
///
/// Chosen for dataset fingerprints because it reads 32 bytes per round in four independent
/// lanes, so hashing Fashion-MNIST's 219 MB of features takes a few tens of milliseconds, where
/// byte-at-a-time FNV-1a would be limited by one multiply per byte.
enum XXHash64 {
  static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
  static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
  static let p3: UInt64 = 0x1656_67B1_9E37_79F9
  static let p4: UInt64 = 0x85EB_CA77_C2B2_AE63
  static let p5: UInt64 = 0x27D4_EB2F_1656_67C5

  /// The hash of `bytes`.
  static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
    let n = bytes.count
    @inline(__always) func u64(_ at: Int) -> UInt64 {
      UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self))
    }
    var i = 0
    var h: UInt64
    if n >= 32 {
      var v1 = seed &+ p1 &+ p2
      var v2 = seed &+ p2
      var v3 = seed
      var v4 = seed &- p1
      while i + 32 <= n {
        v1 = round(v1, u64(i))
        v2 = round(v2, u64(i + 8))
        v3 = round(v3, u64(i + 16))
        v4 = round(v4, u64(i + 24))
        i += 32
      }
      h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
      for v in [v1, v2, v3, v4] { h = (h ^ round(0, v)) &* p1 &+ p4 }
    } else {
      h = seed &+ p5
    }
    h &+= UInt64(n)
    while i + 8 <= n {
      h = rotl(h ^ round(0, u64(i)), 27) &* p1 &+ p4
      i += 8
    }
    if i + 4 <= n {
      let word = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt32.self))
      h = rotl(h ^ (UInt64(word) &* p1), 23) &* p2 &+ p3
      i += 4
    }
    while i < n {
      h = rotl(h ^ (UInt64(bytes[i]) &* p5), 11) &* p1
      i += 1
    }
    // Avalanche.
    h ^= h >> 33
    h &*= p2
    h ^= h >> 29
    h &*= p3
    h ^= h >> 32
    return h
  }

  /// The hash of `values`' little-endian bytes (the bytes a safetensors file would hold).
  static func hash<T>(littleEndianOf values: [T]) -> UInt64 {
    #if _endian(big)
      return SafeTensor.littleEndianBytes(of: values).withUnsafeBytes { hash($0) }
    #else
      return values.withUnsafeBytes { hash($0) }
    #endif
  }

  @inline(__always) private static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
    rotl(acc &+ input &* p2, 31) &* p1
  }

  @inline(__always) private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
  }
}
