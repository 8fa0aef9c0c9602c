import Foundation
import Testing

@testable import PSNCore

/// Profiles persist as what the user stated and are validated again when loaded.
@Suite struct ProfileCodingTests {
  @Test func specsAndProfilesRoundTrip() throws {
    let specs = [
      try ProfileSpec(family: .lognormal, cv: 1.5, placement: .shuffled, inputs: .strided),
      try ProfileSpec(family: .step, parameters: ["ratio": 8, "fraction": 0.2]),
      try ProfileSpec(family: .expr, cv: 1, expression: "1 + 4*x^2"),
      try ProfileSpec(family: .random),
    ]
    for spec in specs {
      let decoded = try JSONDecoder().decode(ProfileSpec.self, from: JSONEncoder().encode(spec))
      #expect(decoded == spec)
    }
    let profile = try specs[0].fanIns(nIn: 300, nOut: 100, budget: 3000, seed: 4)
    let decoded = try JSONDecoder().decode(LayerProfile.self, from: JSONEncoder().encode(profile))
    #expect(decoded == profile)
  }

  @Test func networkSpecsEncodeTheSameBytesWhateverTheSetOrder() throws {
    // Sets iterate in hash order, which varies between processes; saves must not.
    var spec = NetworkProfileSpec(
      profile: try ProfileSpec(family: .lognormal, cv: 1), sparsity: 0.9,
      keepDense: Set((0..<40).reversed()), profiledLayers: Set([7, 3, 31, 12, 0, 25]))
    spec.layerProfiles = [5: try ProfileSpec(family: .random), 1: try ProfileSpec(family: .power, cv: 1)]
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let json = String(decoding: try encoder.encode(spec), as: UTF8.self)
    #expect(json.contains("\"keepDense\":[\((0..<40).map(String.init).joined(separator: ","))]"))
    #expect(json.contains("\"profiledLayers\":[0,3,7,12,25,31]"))
    #expect(try JSONDecoder().decode(NetworkProfileSpec.self, from: Data(json.utf8)) == spec)
    // A spec without the optional fields reads back too (older saves).
    let plain = NetworkProfileSpec(profile: try ProfileSpec(family: .random), sparsity: 0.5)
    #expect(try JSONDecoder().decode(NetworkProfileSpec.self, from: encoder.encode(plain)) == plain)
  }

  @Test func invalidSavedSpecIsRefused() {
    let json = #"{"family": "lognormal", "cv": 12}"#
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(ProfileSpec.self, from: Data(json.utf8))
    }
  }
}
