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

  @Test func invalidSavedSpecIsRefused() {
    let json = #"{"family": "lognormal", "cv": 12}"#
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(ProfileSpec.self, from: Data(json.utf8))
    }
  }
}
