/// A request is saved as the words that would load it again, and validated on load like a typed
/// `load` command, so a saved workspace cannot hold a request the loader would refuse.
///
/// JSON: `{"source": "emnist", "split": "letters", "directory": null, "validation": {"fraction":
/// 0.1}, "seed": 3}`; a synthetic request carries its spec under `"synthetic"`.
extension DataRequest: Codable {
  private enum CodingKeys: String, CodingKey {
    case source, split, synthetic, directory, validation, seed
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let kind = try c.decode(String.self, forKey: .source)
    let source: DataSource
    switch DataSourceKind(rawValue: kind) {
    case .fashion: source = .fashion
    case .mnist: source = .mnist
    case .covtype: source = .covtype
    case .emnist: source = .emnist(split: try c.decode(EMNISTSplit.self, forKey: .split))
    case .synthetic: source = .synthetic(try c.decode(SyntheticSpec.self, forKey: .synthetic))
    case nil:
      let known = DataSourceKind.allCases.map(\.rawValue).joined(separator: ", ")
      throw DecodingError.dataCorruptedError(
        forKey: .source, in: c, debugDescription: "unknown source '\(kind)' (psn loads \(known))")
    }
    self.init(
      source, directory: try c.decodeIfPresent(String.self, forKey: .directory),
      validation: try c.decodeIfPresent(ValidationSplit.self, forKey: .validation) ?? .none,
      seed: try c.decode(UInt64.self, forKey: .seed))
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(source.kind.rawValue, forKey: .source)
    switch source {
    case .emnist(let split): try c.encode(split, forKey: .split)
    case .synthetic(let spec): try c.encode(spec, forKey: .synthetic)
    case .fashion, .mnist, .covtype: break
    }
    try c.encodeIfPresent(directory, forKey: .directory)
    try c.encode(validation, forKey: .validation)
    try c.encode(seed, forKey: .seed)
  }
}

extension EMNISTSplit: Codable {}

/// `{}` (none), `{"fraction": 0.1}` or `{"count": 5000}`; checked as `val=` would be.
extension ValidationSplit: Codable {
  private enum CodingKeys: String, CodingKey { case fraction, count }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let fraction = try c.decodeIfPresent(Double.self, forKey: .fraction)
    let count = try c.decodeIfPresent(Int.self, forKey: .count)
    switch (fraction, count) {
    case (nil, nil): self = .none
    case (let f?, nil): self = .fraction(f)
    case (nil, let k?): self = .count(k)
    case (.some, .some):
      throw DecodingError.dataCorruptedError(
        forKey: .count, in: c,
        debugDescription: "a validation split is a fraction or a count, not both")
    }
    do {
      try validate()
    } catch {
      throw error.decodingError(decoder)
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .none: break
    case .fraction(let f): try c.encode(f, forKey: .fraction)
    case .count(let k): try c.encode(k, forKey: .count)
    }
  }
}

extension DataError {
  /// The error a saved value that fails validation is decoded into: its message, at its place.
  func decodingError(_ decoder: any Decoder) -> DecodingError {
    .dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: description))
  }
}
