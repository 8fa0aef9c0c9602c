/// `{"nnz": [23520, 3000, null], "raisedToOnePerNeuron": []}`: null marks a dense layer.
extension LayerBudget: Codable {
  private enum CodingKeys: String, CodingKey { case nnz, raisedToOnePerNeuron }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      nnz: try c.decode([Int?].self, forKey: .nnz),
      raisedToOnePerNeuron: try c.decode([Int].self, forKey: .raisedToOnePerNeuron))
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(nnz, forKey: .nnz)
    try c.encode(raisedToOnePerNeuron, forKey: .raisedToOnePerNeuron)
  }
}
