import Testing

@testable import PSNCore

#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif

/// A layer shape and sparsity for profile sweeps, named for failure messages.
struct ProfileLayerCase: CustomTestStringConvertible, Sendable {
  let nIn: Int
  let nOut: Int
  let sparsity: Double
  var budget: Int { try! ProfileSpec.budget(sparsity: sparsity, nIn: nIn, nOut: nOut) }
  var testDescription: String { "\(nIn)→\(nOut) sparsity \(sparsity)" }

  static let sweep: [ProfileLayerCase] = [(784, 300), (300, 100)].flatMap { nIn, nOut in
    [0.8, 0.9, 0.95, 0.99, 0.999].map { ProfileLayerCase(nIn: nIn, nOut: nOut, sparsity: $0) }
  }
}

@Suite struct ProfileFamilyTests {
  static let shaped = ProfileFamily.allCases.filter { $0.acceptsCV && $0 != .expr }
  static let targets = [0, 0.25, 0.5, 1, 1.5, 2, 2.5]

  /// Every shaped family over sparsity 0.8–0.999 and CV 0–2.5: the total is the budget, every
  /// fan-in lies in [1, n_in], and the achieved CV is within 0.02 of the target, or the target is
  /// refused with a message naming the reachable range.
  @Test(arguments: shaped, ProfileLayerCase.sweep)
  func cvTargetsAreReachedOrRefused(family: ProfileFamily, layer: ProfileLayerCase) throws {
    let (nIn, nOut, budget) = (layer.nIn, layer.nOut, layer.budget)
    let even = FanInAllocation.evenCV(nOut: nOut, budget: budget)
    for target in Self.targets {
      let spec = try ProfileSpec(family: family, cv: target)
      do {
        let profile = try spec.fanIns(nIn: nIn, nOut: nOut, budget: budget)
        #expect(profile.fanIns.reduce(0, +) == budget, "cv=\(target)")
        #expect(profile.fanIns.allSatisfy { (1...nIn).contains($0) }, "cv=\(target)")
        #expect(abs(profile.achievedCV - max(target, even)) <= 0.02, "cv=\(target)")
        #expect(profile.achievedCV == FanInStatistics(profile.fanIns).cv)
      } catch {
        // (A `catch .cvUnreachable(let r)` pattern here crashes the Swift 6.3.1 compiler.)
        guard case .cvUnreachable(let refusal) = error else {
          Issue.record("cv=\(target): unexpected error \(error)")
          continue
        }
        let message = refusal.description
        #expect(message.hasPrefix("\(family.rawValue) reaches "), "cv=\(target): \(message)")
        #expect(message.contains("at \(nIn)→\(nOut) with budget \(budget)"), "\(message)")
        let lo = refusal.reachable.lowerBound - 0.02
        let hi = refusal.reachable.upperBound + 0.02
        if (lo...hi).contains(target) {
          #expect(message.contains("jump"), "cv=\(target) refused inside its range: \(message)")
        }
      }
    }
  }

  /// The reachable range is honest: asking for its ends succeeds.
  @Test(arguments: shaped)
  func reachableRangeEndsAreReached(family: ProfileFamily) throws {
    let range = try ProfileSpec(family: family).reachableCV(nIn: 784, nOut: 300, budget: 23520)
    for target in [range.lowerBound, range.upperBound] {
      let profile = try ProfileSpec(family: family, cv: target)
        .fanIns(nIn: 784, nOut: 300, budget: 23520)
      #expect(abs(profile.achievedCV - target) <= 0.02)
    }
  }

  /// Explicit shape parameters are used as given, and the achieved CV is reported.
  @Test func explicitParametersReportTheirCV() throws {
    let profile = try ProfileSpec(family: .power, parameters: ["exponent": 2])
      .fanIns(nIn: 784, nOut: 300, budget: 23520)
    #expect(profile.parameters == ["exponent": 2])
    #expect(profile.targetCV == nil)
    // x² over uniform x has CV 2/√5 ≈ 0.894; 300 midpoints and rounding stay close to it.
    #expect(abs(profile.achievedCV - 0.894) < 0.01)
    #expect(profile.fanIns == profile.fanIns.sorted())
  }

  @Test func solvedParameterIsReported() throws {
    let profile = try ProfileSpec(family: .step, cv: 1, parameters: ["fraction": 0.2])
      .fanIns(nIn: 784, nOut: 300, budget: 23520)
    #expect(profile.parameters["fraction"] == 0.2)
    let ratio = try #require(profile.parameters["ratio"])
    #expect(ratio > 1)
    // Re-running with the solved ratio gives the same fan-ins.
    let again = try ProfileSpec(family: .step, parameters: ["fraction": 0.2, "ratio": ratio])
      .fanIns(nIn: 784, nOut: 300, budget: 23520)
    #expect(again.fanIns == profile.fanIns)
  }

  /// Sorted placement puts the hubs where the shape does.
  @Test func sortedPlacementFollowsTheShape() throws {
    func fanIns(_ family: ProfileFamily, _ parameters: [String: Double] = [:]) throws -> [Int] {
      try ProfileSpec(family: family, parameters: parameters)
        .fanIns(nIn: 784, nOut: 300, budget: 23520).fanIns
    }
    func argmax(_ k: [Int]) -> Int { k.indices.max { k[$0] < k[$1] }! }
    for family in [ProfileFamily.linear, .power, .exponential, .sigmoid, .lognormal, .powerlaw] {
      let k = try fanIns(family)
      #expect(k == k.sorted(), "\(family) rises with x")
    }
    #expect(try fanIns(.hyperbolic) == fanIns(.hyperbolic).sorted(by: >))
    #expect((140...159).contains(argmax(try fanIns(.gaussian))))
    #expect((40...79).contains(argmax(try fanIns(.gaussian, ["center": 0.2]))))
    // step: the last 10% are hubs, the others equal up to rounding.
    let step = try fanIns(.step)
    #expect(Set(step[270...]).count == 1 && step[0..<270].allSatisfy { $0 < step[299] })
    // cosine with 4 cycles: local maxima at x = 1/8, 3/8, 5/8, 7/8.
    let cosine = try fanIns(.cosine, ["sharpness": 3])
    for peak in [37, 112, 187, 262] {
      #expect(cosine[peak] >= cosine[peak - 20] && cosine[peak] >= cosine[peak + 20])
      #expect(cosine[peak] > cosine[peak + 37] * 2, "a trough lies between clusters")
    }
  }

  @Test func constantRandomAndDense() throws {
    let constant = try ProfileSpec(family: .constant).fanIns(nIn: 784, nOut: 300, budget: 23520)
    #expect(Set(constant.fanIns) == [78, 79])
    #expect(constant.fanIns.filter { $0 == 79 }.count == 120)  // 23520 = 300·78 + 120
    let random = try ProfileSpec(family: .random)
      .mask(nIn: 784, nOut: 300, budget: 23520, seed: 1, layer: 0)
    #expect(random.mask.nnz == 23520 && random.profile.fanIns == random.mask.fanIns)
    // Uniform positions: fan-in ≈ Binomial(784, 0.1), CV ≈ √(0.9/(784·0.1)) ≈ 0.107.
    #expect(abs(random.profile.achievedCV - 0.107) < 0.02)
    let dense = try ProfileSpec(family: .dense)
      .mask(nIn: 30, nOut: 10, budget: 300, seed: 1, layer: 0)
    #expect(dense.mask == Mask.dense(nIn: 30, nOut: 10) && dense.profile.achievedCV == 0)
  }

  /// At 99.9% sparsity the budget is raised to one input per neuron, and only CV 0 is possible.
  @Test func extremeSparsityKeepsOneInputPerNeuron() throws {
    #expect(try ProfileSpec.budget(sparsity: 0.999, nIn: 784, nOut: 300) == 300)
    #expect(try ProfileSpec.budget(sparsity: 0.9, nIn: 784, nOut: 300) == 23520)
    #expect(try ProfileSpec.budget(sparsity: 0, nIn: 784, nOut: 300) == 235_200)
    let profile = try ProfileSpec(family: .lognormal, cv: 0).fanIns(
      nIn: 784, nOut: 300, budget: 300)
    #expect(profile.fanIns == [Int](repeating: 1, count: 300))
  }

  /// Where clipping does not bite (every fan-in strictly inside (1, n_in)), the fitted σ of ln k
  /// matches σ = √(ln(1 + CV²)) within 5%. It cannot match exactly: n quantiles at (j + ½)/n stop
  /// at z = Φ⁻¹(1 − 1/2n) (2.58 for n = 100, 2.94 for n = 300) and so miss the far tail that
  /// carries much of a lognormal's variance; reaching the same CV with n neurons takes a larger
  /// σ, the more so the larger the CV. Measured: < 0.3% at CV 0.25, ≈ 0.5–1.7% at 0.5, ≈ 2.5–5%
  /// at 1 (docs/profiles.md, "lognormal").
  @Test func lognormalFitMatchesTheTheory() throws {
    var checked = 0
    for (nIn, nOut) in [(784, 300), (300, 100)] {
      for sparsity in [0.8, 0.9] {
        let budget = try ProfileSpec.budget(sparsity: sparsity, nIn: nIn, nOut: nOut)
        for cv in [0.1, 0.25, 0.5, 0.75, 1.0] {
          let k = try ProfileSpec(family: .lognormal, cv: cv)
            .fanIns(nIn: nIn, nOut: nOut, budget: budget).fanIns
          guard k.min()! > 1, k.max()! < nIn else { continue }
          let fit = try #require(FanInStatistics.LognormalFit(k))
          let theory = (log(1 + cv * cv)).squareRoot()
          #expect(abs(fit.sigma / theory - 1) < 0.05, "\(nIn)→\(nOut) s=\(sparsity) cv=\(cv)")
          checked += 1
        }
      }
    }
    #expect(checked >= 14)
  }
}
