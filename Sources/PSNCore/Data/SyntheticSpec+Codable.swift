/// Saved under the property names (`n`, `features`, …, `testFraction`; `informative` only when
/// set) and validated on load with the same checks as `load synthetic`.
extension SyntheticSpec: Codable {
  private enum CodingKeys: String, CodingKey {
    case n, features, classes, clusters, informative, separation, noise, testFraction
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      n: try c.decode(Int.self, forKey: .n), features: try c.decode(Int.self, forKey: .features),
      classes: try c.decode(Int.self, forKey: .classes),
      clusters: try c.decode(Int.self, forKey: .clusters),
      informative: try c.decodeIfPresent(Int.self, forKey: .informative),
      separation: try c.decode(Double.self, forKey: .separation),
      noise: try c.decode(Double.self, forKey: .noise),
      testFraction: try c.decode(Double.self, forKey: .testFraction))
    do {
      try validate()
    } catch {
      throw error.decodingError(decoder)
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(n, forKey: .n)
    try c.encode(features, forKey: .features)
    try c.encode(classes, forKey: .classes)
    try c.encode(clusters, forKey: .clusters)
    try c.encodeIfPresent(informative, forKey: .informative)
    try c.encode(separation, forKey: .separation)
    try c.encode(noise, forKey: .noise)
    try c.encode(testFraction, forKey: .testFraction)
  }
}
