import Foundation

/// JSON as psn's saved files write and read it, and Foundation's decoding errors turned into
/// messages that say where: "at 'runs'[0].'name': expected a string".
enum ArchiveJSON {
  /// Spellings of the non-finite numbers JSON has no literal for. A history can hold NaN (the
  /// loss of an empty split); Swift's shortest round-trip printing makes every finite Double and
  /// Float exact, so with these three strings every value comes back bit for bit, except that
  /// any NaN reads back as the canonical quiet NaN (the only one psn produces).
  static let nan = "nan"
  static let infinity = "inf"
  static let negativeInfinity = "-inf"

  /// Pretty-printed with sorted keys, so a save can be read and diffed by eye.
  static func encoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: infinity, negativeInfinity: negativeInfinity, nan: nan)
    return encoder
  }

  static func decoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: infinity, negativeInfinity: negativeInfinity, nan: nan)
    return decoder
  }

  /// What went wrong and where. With `json` (the bytes that failed), an error Foundation reports
  /// only as "not valid JSON" is told apart: broken syntax (with the parser's position) versus
  /// well-formed JSON holding a number the field cannot take (Foundation reports a fraction or
  /// an out-of-range value where an integer belongs the same way as broken syntax).
  static func explain(_ error: DecodingError, json: Data? = nil) -> String {
    func place(_ path: [any CodingKey]) -> String {
      var text = ""
      for key in path {
        if let index = key.intValue {
          text += "[\(index)]"
        } else {
          text += (text.isEmpty ? "" : ".") + "'\(key.stringValue)'"
        }
      }
      return text.isEmpty ? "top level" : text
    }
    switch error {
    case .typeMismatch(let type, let context):
      return "at \(place(context.codingPath)): expected \(typeName(type))"
    case .valueNotFound(let type, let context):
      return "at \(place(context.codingPath)): expected \(typeName(type)), found null"
    case .keyNotFound(let key, let context):
      return "at \(place(context.codingPath)): missing '\(key.stringValue)'"
    case .dataCorrupted(let context):
      guard context.codingPath.isEmpty else {
        return "at \(place(context.codingPath)): \(context.debugDescription)"
      }
      guard let json, context.debugDescription.contains("not valid JSON") else {
        return json == nil ? "not valid JSON" : context.debugDescription
      }
      do {
        _ = try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed])
        return "a number is not of the expected kind (a fraction or an out-of-range value where "
          + "a whole number belongs)"
      } catch {
        let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        return "not valid JSON" + (detail.map { ": " + $0 } ?? "")
      }
    @unknown default:
      return "\(error)"
    }
  }

  private static func typeName(_ type: Any.Type) -> String {
    switch type {
    case is Int.Type, is [Int].Type, is UInt64.Type: "an integer"
    case is String.Type: "a string"
    case is Double.Type, is [Double].Type: "a number"
    case is Bool.Type: "true or false"
    default: "\(type)".contains("Dictionary") ? "an object" : "\(type)"
    }
  }
}
