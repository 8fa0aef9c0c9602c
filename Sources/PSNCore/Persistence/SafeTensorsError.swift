/// Why a safetensors file could not be read or written. `description` is the full user-facing
/// message, `file: what (fix)`.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable, Sendable {
  public enum Problem: Equatable, Sendable {
    /// The operating system refused (`reason` names the call and errno's text).
    case cannotRead(reason: String)
    case cannotWrite(reason: String)
    /// Shorter than the 8-byte header length.
    case truncated(fileSize: Int)
    /// The header length field claims more bytes than follow it, or more than the 100 MB limit.
    case headerLengthOutOfRange(claimed: UInt64, available: Int)
    /// The header is not a JSON object of the expected form; `detail` says where.
    case malformedHeader(detail: String)
    case unknownDType(tensor: String, dtype: String)
    /// data_offsets reach past the end of the byte buffer.
    case offsetsOutOfRange(tensor: String, begin: Int, end: Int, bufferSize: Int)
    /// data_offsets span a different number of bytes than shape × dtype size.
    case sizeMismatch(tensor: String, expectedBytes: Int, actualBytes: Int)
    case overlap(tensor: String, other: String)
    /// Bytes between two tensors (or before the first) that no tensor claims.
    case gap(before: String, begin: Int, end: Int)
    /// Bytes after the last tensor that no tensor claims.
    case unindexedTail(begin: Int, bufferSize: Int)
    /// Writing: a tensor name that the format reserves or cannot hold.
    case invalidTensorName(String)
    /// Reading a named tensor the file does not contain.
    case missingTensor(String)
    case dtypeMismatch(tensor: String, stored: SafeTensorDType, expected: SafeTensorDType)
    case shapeMismatch(tensor: String, stored: [Int], expected: [Int])
  }

  /// The path (or, for bytes in memory, the name the caller gave them).
  public let file: String
  public let problem: Problem

  public init(file: String, problem: Problem) {
    self.file = file
    self.problem = problem
  }

  public var description: String {
    let damaged = "the file is damaged or is not a safetensors file; restore it or save again"
    let (what, fix): (String, String) =
      switch problem {
      case .cannotRead(let reason): ("cannot read: \(reason)", "check the path and permissions")
      case .cannotWrite(let reason):
        ("cannot write: \(reason)", "check free space and that the directory is writable")
      case .truncated(let size):
        ("only \(size) bytes, too short for the 8-byte header length", damaged)
      case .headerLengthOutOfRange(let claimed, let available):
        ("header length \(claimed) exceeds the \(available) bytes available", damaged)
      case .malformedHeader(let detail): ("malformed header: \(detail)", damaged)
      case .unknownDType(let tensor, let dtype):
        (
          "tensor '\(tensor)' has unknown dtype '\(dtype)'",
          "psn reads " + SafeTensorDType.allCases.map(\.rawValue).joined(separator: ", ")
        )
      case .offsetsOutOfRange(let tensor, let begin, let end, let size):
        (
          "tensor '\(tensor)' data_offsets [\(begin), \(end)] reach past the \(size)-byte buffer",
          damaged
        )
      case .sizeMismatch(let tensor, let expected, let actual):
        (
          "tensor '\(tensor)' spans \(actual) bytes but its shape and dtype need \(expected)",
          damaged
        )
      case .overlap(let tensor, let other):
        ("tensors '\(other)' and '\(tensor)' overlap", damaged)
      case .gap(let tensor, let begin, let end):
        ("bytes \(begin)..<\(end) before tensor '\(tensor)' belong to no tensor", damaged)
      case .unindexedTail(let begin, let size):
        ("bytes \(begin)..<\(size) after the last tensor belong to no tensor", damaged)
      case .invalidTensorName(let name):
        ("cannot store a tensor named '\(name)'", "use a non-empty name other than '__metadata__'")
      case .missingTensor(let name):
        (
          "no tensor named '\(name)'",
          "the file was written for another object or by another version"
        )
      case .dtypeMismatch(let tensor, let stored, let expected):
        (
          "tensor '\(tensor)' is \(stored.rawValue), expected \(expected.rawValue)",
          "the file was written for another object or by another version"
        )
      case .shapeMismatch(let tensor, let stored, let expected):
        (
          "tensor '\(tensor)' has shape \(stored), expected \(expected)",
          "the file was written for another object or by another version"
        )
      }
    return "\(file): \(what) (\(fix))"
  }
}
