/// One tensor as stored in a safetensors file: dtype, shape and the raw little-endian bytes in
/// row-major order.
public struct SafeTensor: Sendable, Equatable {
  public let dtype: SafeTensorDType
  public let shape: [Int]
  /// Exactly `elementCount × dtype.byteSize` bytes.
  public let bytes: [UInt8]

  /// Product of the shape (1 for a scalar, shape []).
  public var elementCount: Int { shape.reduce(1, *) }

  /// Wraps raw bytes; nil unless `bytes.count` is exactly shape product × dtype size.
  public init?(dtype: SafeTensorDType, shape: [Int], bytes: [UInt8]) {
    guard let count = Self.byteCount(dtype: dtype, shape: shape), count == bytes.count else {
      return nil
    }
    self.dtype = dtype
    self.shape = shape
    self.bytes = bytes
  }

  /// Stores `values` with `shape` (defaults to one dimension); the shape must match the count.
  public init<T: SafeTensorElement>(_ values: [T], shape: [Int]? = nil) {
    let shape = shape ?? [values.count]
    precondition(
      shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == values.count,
      "SafeTensor: shape \(shape) does not hold \(values.count) values")
    self.dtype = T.safeTensorDType
    self.shape = shape
    self.bytes = Self.littleEndianBytes(of: values)
  }

  /// Stores booleans as the BOOL dtype: one byte each, 0 or 1.
  public init(_ values: [Bool], shape: [Int]? = nil) {
    let asBytes = SafeTensor(values.map { UInt8($0 ? 1 : 0) }, shape: shape)
    dtype = .bool  // same bytes as U8; only the declared dtype differs
    self.shape = asBytes.shape
    bytes = asBytes.bytes
  }

  /// The elements as `T`, or nil when the stored dtype is not `T`'s.
  public func values<T: SafeTensorElement>(as type: T.Type = T.self) -> [T]? {
    guard dtype == T.safeTensorDType else { return nil }
    return Self.values(fromLittleEndian: bytes, as: T.self)
  }

  /// The elements of a BOOL tensor (any non-zero byte is true), or nil for another dtype.
  public func bools() -> [Bool]? {
    guard dtype == .bool else { return nil }
    return bytes.map { $0 != 0 }
  }

  /// shape product × dtype size, or nil when a dimension is negative or the product overflows.
  static func byteCount(dtype: SafeTensorDType, shape: [Int]) -> Int? {
    var count = dtype.byteSize
    for dimension in shape {
      guard dimension >= 0 else { return nil }
      let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
      if overflow { return nil }
      count = product
    }
    return count
  }

  /// The in-memory representation, byte-reversed per element on a big-endian host.
  static func littleEndianBytes<T>(of values: [T]) -> [UInt8] {
    var bytes = values.withUnsafeBytes { Array($0) }
    #if _endian(big)
      reverseEachElement(&bytes, size: MemoryLayout<T>.size)
    #endif
    return bytes
  }

  static func values<T>(fromLittleEndian bytes: [UInt8], as type: T.Type) -> [T] {
    var bytes = bytes
    #if _endian(big)
      reverseEachElement(&bytes, size: MemoryLayout<T>.size)
    #endif
    let count = bytes.count / MemoryLayout<T>.stride
    return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
      bytes.withUnsafeBytes { source in
        UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
      }
      initialized = count
    }
  }

  #if _endian(big)
    static func reverseEachElement(_ bytes: inout [UInt8], size: Int) {
      for start in stride(from: 0, to: bytes.count, by: size) {
        bytes[start..<start + size].reverse()
      }
    }
  #endif
}
