import Foundation

/// A JSON value with object keys kept in the order they were written, so `--json` output is
/// stable and reads in the order the human output does. Keys are snake_case by convention.
public indirect enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case number(Double)
  case int(Int)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }

  /// An object from key/value pairs; nil values are left out.
  public static func obj(_ pairs: [(String, JSONValue?)]) -> JSONValue {
    .object(pairs.compactMap { k, v in v.map { (k, $0) } })
  }

  /// The value for `key` of an object.
  public subscript(key: String) -> JSONValue? {
    guard case .object(let pairs) = self else { return nil }
    return pairs.first { $0.0 == key }?.1
  }

  /// Compact single-line JSON. Non-finite numbers become null (JSON has no NaN).
  public func serialized() -> String {
    var out = ""
    write(into: &out)
    return out
  }

  private func write(into out: inout String) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .number(let d):
      if !d.isFinite {
        out += "null"
      } else if d == d.rounded(), abs(d) < 1e15 {
        out += String(Int(d))
      } else {
        out += "\(d)"
      }
    case .string(let s): Self.quote(s, into: &out)
    case .array(let items):
      out += "["
      for (i, v) in items.enumerated() {
        if i > 0 { out += "," }
        v.write(into: &out)
      }
      out += "]"
    case .object(let pairs):
      out += "{"
      for (i, (k, v)) in pairs.enumerated() {
        if i > 0 { out += "," }
        Self.quote(k, into: &out)
        out += ":"
        v.write(into: &out)
      }
      out += "}"
    }
  }

  private static func quote(_ s: String, into out: inout String) {
    out += "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if u.value < 0x20 {
          out += String(format: "\\u%04x", u.value)
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    out += "\""
  }
}

extension Double {
  /// This number as JSON (null when not finite).
  public var json: JSONValue { .number(self) }
}

extension Optional where Wrapped == Double {
  public var json: JSONValue? { self.map { .number($0) } }
}

extension Int {
  public var json: JSONValue { .int(self) }
}

extension String {
  public var json: JSONValue { .string(self) }
}

extension Array where Element == Int {
  public var json: JSONValue { .array(map { .int($0) }) }
}

extension Array where Element == Double {
  public var json: JSONValue { .array(map { .number($0) }) }
}
