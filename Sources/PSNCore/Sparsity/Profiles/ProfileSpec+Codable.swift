/// A spec is saved as what the user stated (family, cv, explicit parameters, expression source,
/// placement, inputs) and validated again on load, so a saved workspace cannot smuggle in a spec
/// the constructor would refuse.
extension ProfileSpec: Codable {
  private enum CodingKeys: String, CodingKey {
    case family, cv, parameters, expression, placement, inputs
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let family = try c.decode(ProfileFamily.self, forKey: .family)
    let cv = try c.decodeIfPresent(Double.self, forKey: .cv)
    let parameters = try c.decodeIfPresent([String: Double].self, forKey: .parameters) ?? [:]
    let expression = try c.decodeIfPresent(String.self, forKey: .expression)
    let placement = try c.decodeIfPresent(HubPlacement.self, forKey: .placement) ?? .sorted
    let inputs = try c.decodeIfPresent(InputSelection.self, forKey: .inputs) ?? .random
    do {
      try self.init(
        family: family, cv: cv, parameters: parameters, expression: expression,
        placement: placement, inputs: inputs)
    } catch {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: error.description))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(family, forKey: .family)
    try c.encodeIfPresent(cv, forKey: .cv)
    try c.encode(parameters, forKey: .parameters)
    try c.encodeIfPresent(expression, forKey: .expression)
    try c.encode(placement, forKey: .placement)
    try c.encode(inputs, forKey: .inputs)
  }
}
