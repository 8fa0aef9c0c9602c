import Foundation

/// The JSON header of a safetensors file:
/// `{"NAME": {"dtype": "F32", "shape": [2, 3], "data_offsets": [BEGIN, END]}, …,
///   "__metadata__": {"key": "value", …}}`
/// with offsets relative to the start of the byte buffer that follows the header.
struct SafeTensorsHeader: Codable {
  struct Entry: Codable {
    var dtype: String
    var shape: [Int]
    var dataOffsets: [Int]

    enum CodingKeys: String, CodingKey {
      case dtype, shape
      case dataOffsets = "data_offsets"
    }

    init(dtype: String, shape: [Int], dataOffsets: [Int]) {
      self.dtype = dtype
      self.shape = shape
      self.dataOffsets = dataOffsets
    }

    init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      dtype = try container.decode(String.self, forKey: .dtype)
      shape = try Self.integers(container, .shape)
      dataOffsets = try Self.integers(container, .dataOffsets)
    }

    /// Foundation reports a fractional number where an Int is expected as "not valid JSON" with
    /// no location; decoding the numbers first lets the message say where and what.
    private static func integers(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys)
      throws -> [Int]
    {
      if let integers = try? container.decode([Int].self, forKey: key) { return integers }
      let numbers = try container.decode([Double].self, forKey: key)
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: container.codingPath + [key],
          debugDescription: "expected integers, found \(numbers)"))
    }
  }

  static let metadataKey = "__metadata__"

  var entries: [String: Entry]
  var metadata: [String: String]

  init(entries: [String: Entry], metadata: [String: String]) {
    self.entries = entries
    self.metadata = metadata
  }

  /// Tensor names are arbitrary strings, so the header is decoded as an open set of keys.
  private struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Key.self)
    entries = [:]
    metadata = [:]
    for key in container.allKeys {
      if key.stringValue == Self.metadataKey {
        metadata = try container.decode([String: String].self, forKey: key)
      } else {
        entries[key.stringValue] = try container.decode(Entry.self, forKey: key)
      }
    }
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    if !metadata.isEmpty {
      try container.encode(metadata, forKey: Key(stringValue: Self.metadataKey))
    }
    for (name, entry) in entries { try container.encode(entry, forKey: Key(stringValue: name)) }
  }

  /// Compact JSON with sorted keys, so equal contents give byte-identical files.
  func encoded() throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return Array(try encoder.encode(self))
  }

  /// Decodes and explains failures as "at w.data_offsets[1]: expected Int" rather than Foundation's
  /// generic text.
  static func decode(_ bytes: ArraySlice<UInt8>, file: String) throws(SafeTensorsError) -> Self {
    func malformed(_ detail: String) -> SafeTensorsError {
      SafeTensorsError(file: file, problem: .malformedHeader(detail: detail))
    }
    guard bytes.first == UInt8(ascii: "{") else { throw malformed("does not start with '{'") }
    do {
      return try JSONDecoder().decode(SafeTensorsHeader.self, from: Data(bytes))
    } catch let error as DecodingError {
      throw malformed(ArchiveJSON.explain(error))
    } catch {
      throw malformed("\(error)")
    }
  }
}
