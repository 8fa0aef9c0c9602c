/// `{"count": 60000, "featuresHash": "9e3779b185ebca87", "labelsHash": "…"}`: hashes as 16 hex
/// digits, since JSON readers outside Swift and Python may round integers above 2^53.
extension DatasetFingerprint.Part: Codable {
  private enum CodingKeys: String, CodingKey { case count, featuresHash, labelsHash }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    func hash(_ key: CodingKeys) throws -> UInt64 {
      let text = try c.decode(String.self, forKey: key)
      guard text.count == 16, let value = UInt64(text, radix: 16) else {
        throw DecodingError.dataCorruptedError(
          forKey: key, in: c, debugDescription: "expected 16 hex digits, found '\(text)'")
      }
      return value
    }
    let count = try c.decode(Int.self, forKey: .count)
    guard count >= 0 else {
      throw DecodingError.dataCorruptedError(
        forKey: .count, in: c, debugDescription: "a sample count cannot be negative (\(count))")
    }
    self.init(
      count: count, featuresHash: try hash(.featuresHash), labelsHash: try hash(.labelsHash))
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(count, forKey: .count)
    try c.encode(hex(featuresHash), forKey: .featuresHash)
    try c.encode(hex(labelsHash), forKey: .labelsHash)
  }
}
