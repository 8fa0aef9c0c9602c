/// Which neuron gets which fan-in.
public enum HubPlacement: String, CaseIterable, Sendable, Codable {
  /// Neuron j gets the fan-in of position x_j, so hubs sit where the shape puts them
  /// (at the end for `power`, in the middle for `gaussian`, …).
  case sorted
  /// The same fan-ins dealt to the neurons in a seeded random order.
  case shuffled

  public static func named(_ name: String) throws(ProfileError) -> HubPlacement {
    try choice(name, key: "placement")
  }
}

/// Which inputs a neuron with fan-in k connects to.
public enum InputSelection: String, CaseIterable, Sendable, Codable {
  /// k distinct inputs drawn uniformly with the seed, independently per neuron.
  case random
  /// k evenly spaced inputs, each neuron at its own phase (see `Mask.stridedInputs`); no seed.
  case strided

  public static func named(_ name: String) throws(ProfileError) -> InputSelection {
    try choice(name, key: "inputs")
  }
}

/// Parses one of a `CaseIterable` enum's spellings for `key=`, with a did-you-mean on failure.
private func choice<T: CaseIterable & RawRepresentable>(
  _ name: String, key: String
) throws(ProfileError) -> T where T.RawValue == String {
  if let value = T(rawValue: name.lowercased()) { return value }
  let choices = T.allCases.map(\.rawValue)
  throw .unknownChoice(
    key: key, value: name, choices: choices,
    suggestion: Spelling.closestMatch(to: name, among: choices))
}
