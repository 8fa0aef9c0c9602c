/// The element types of the safetensors format, spelled as in its JSON header.
///
/// All of them can be read and validated (a file from Python may hold any); typed access through
/// ``SafeTensorElement`` covers the ones psn stores. BF16 and F16 are carried as raw bytes.
public enum SafeTensorDType: String, CaseIterable, Sendable, Codable {
  case bool = "BOOL"
  case uint8 = "U8"
  case int8 = "I8"
  case uint16 = "U16"
  case int16 = "I16"
  case float16 = "F16"
  case bfloat16 = "BF16"
  case uint32 = "U32"
  case int32 = "I32"
  case float32 = "F32"
  case uint64 = "U64"
  case int64 = "I64"
  case float64 = "F64"

  /// Bytes per element.
  public var byteSize: Int {
    switch self {
    case .bool, .uint8, .int8: 1
    case .uint16, .int16, .float16, .bfloat16: 2
    case .uint32, .int32, .float32: 4
    case .uint64, .int64, .float64: 8
    }
  }
}

/// A Swift type stored in safetensors as one fixed dtype, bit for bit (little-endian).
public protocol SafeTensorElement: Sendable {
  static var safeTensorDType: SafeTensorDType { get }
}

extension Float: SafeTensorElement {
  public static var safeTensorDType: SafeTensorDType { .float32 }
}
extension Double: SafeTensorElement {
  public static var safeTensorDType: SafeTensorDType { .float64 }
}
extension Int8: SafeTensorElement { public static var safeTensorDType: SafeTensorDType { .int8 } }
extension Int16: SafeTensorElement { public static var safeTensorDType: SafeTensorDType { .int16 } }
extension Int32: SafeTensorElement { public static var safeTensorDType: SafeTensorDType { .int32 } }
extension Int64: SafeTensorElement { public static var safeTensorDType: SafeTensorDType { .int64 } }
extension UInt8: SafeTensorElement { public static var safeTensorDType: SafeTensorDType { .uint8 } }
extension UInt16: SafeTensorElement {
  public static var safeTensorDType: SafeTensorDType { .uint16 }
}
extension UInt32: SafeTensorElement {
  public static var safeTensorDType: SafeTensorDType { .uint32 }
}
extension UInt64: SafeTensorElement {
  public static var safeTensorDType: SafeTensorDType { .uint64 }
}
