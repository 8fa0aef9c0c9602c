import Testing

@testable import PSNCore

@Suite struct ProfileMaskTests {
  static let families = ProfileFamily.allCases.filter { $0 != .expr && $0 != .dense }

  /// Same spec, seed and layer index → the same mask, bit for bit; the mask has the profile's
  /// fan-ins and exactly the budget.
  @Test(arguments: families, [HubPlacement.sorted, .shuffled])
  func sameSeedSameMask(family: ProfileFamily, placement: HubPlacement) throws {
    for inputs in InputSelection.allCases {
      let spec = try ProfileSpec(family: family, placement: placement, inputs: inputs)
      let (a, profile) = try spec.mask(nIn: 300, nOut: 100, budget: 3000, seed: 7, layer: 1)
      let (b, _) = try spec.mask(nIn: 300, nOut: 100, budget: 3000, seed: 7, layer: 1)
      #expect(a == b, "\(inputs)")
      #expect(a.nnz == 3000 && a.fanIns == profile.fanIns, "\(inputs)")
    }
  }

  /// The seed moves random inputs and shuffled hubs; the layer index gives each layer its own
  /// draw from the same seed.
  @Test func seedAndLayerChangeTheRandomParts() throws {
    let spec = try ProfileSpec(family: .lognormal, cv: 1)
    let m1 = try spec.mask(nIn: 300, nOut: 100, budget: 3000, seed: 1, layer: 0).mask
    let m2 = try spec.mask(nIn: 300, nOut: 100, budget: 3000, seed: 2, layer: 0).mask
    let m3 = try spec.mask(nIn: 300, nOut: 100, budget: 3000, seed: 1, layer: 1).mask
    #expect(m1 != m2 && m1 != m3)
    #expect(m1.fanIns == m2.fanIns, "sorted placement does not depend on the seed")
    let strided = try ProfileSpec(family: .lognormal, cv: 1, inputs: .strided)
    #expect(
      try strided.mask(nIn: 300, nOut: 100, budget: 3000, seed: 1, layer: 0).mask
        == strided.mask(nIn: 300, nOut: 100, budget: 3000, seed: 2, layer: 0).mask,
      "strided inputs with sorted placement use no randomness")
  }

  /// Shuffled placement deals the same fan-ins to other neurons: different seeds → different hub
  /// neurons (the top decile by fan-in).
  @Test(arguments: [ProfileFamily.lognormal, .power, .step, .gaussian, .hyperbolic])
  func shuffledPlacementMovesHubs(family: ProfileFamily) throws {
    let spec = try ProfileSpec(family: family, cv: 1.5, placement: .shuffled)
    let sorted = try ProfileSpec(family: family, cv: 1.5).fanIns(nIn: 784, nOut: 300, budget: 23520)
    var hubSets: [Set<Int>] = []
    for seed: UInt64 in 1...5 {
      let k = try spec.fanIns(nIn: 784, nOut: 300, budget: 23520, seed: seed).fanIns
      #expect(k.sorted() == sorted.fanIns.sorted(), "seed \(seed): same multiset of fan-ins")
      let hubs = Set(k.indices.sorted { (k[$0], $0) > (k[$1], $1) }.prefix(30))
      hubSets.append(hubs)
    }
    #expect(Set(hubSets).count == 5, "five seeds, five different hub sets")
  }

  /// Strided inputs: distinct, ascending, evenly spaced (gaps ⌊I/k⌋ or ⌈I/k⌉), and all inputs
  /// used about equally across neurons.
  @Test func stridedInputsAreEvenlySpacedAndCoverTheInputs() {
    let nIn = 784
    let fanIns = (0..<300).map { 20 + ($0 * 7) % 150 }
    let mask = Mask.stridedInputs(nIn: nIn, fanIns: fanIns)
    #expect(mask.fanIns == fanIns)
    for j in 0..<300 {
      let row = mask.inputs(of: j).map(Int.init)
      let k = fanIns[j]
      let gaps = Set(zip(row.dropFirst(), row).map { $0 - $1 })
      #expect(gaps.isSubset(of: [nIn / k, (nIn + k - 1) / k]), "neuron \(j)")
      #expect(row.last! - row.first! >= nIn - (nIn + k - 1) / k - 1, "neuron \(j) spans the inputs")
    }
    let equal = Mask.stridedInputs(nIn: nIn, fanIns: [Int](repeating: 78, count: 300))
    var use = [Int](repeating: 0, count: nIn)
    for i in equal.columns { use[Int(i)] += 1 }
    // 300·78/784 ≈ 29.8 uses per input on average.
    #expect(use.min()! >= 25 && use.max()! <= 35, "min \(use.min()!), max \(use.max()!)")
    #expect(Mask.stridedInputs(nIn: 5, fanIns: [5, 1]).inputs(of: 0) == [0, 1, 2, 3, 4])
  }

  @Test func randomInputsAreDistinctAndUniform() {
    var rng = PSNRandom(seed: 3, stream: "test")
    let mask = Mask.randomInputs(nIn: 50, fanIns: [Int](repeating: 10, count: 2000), rng: &rng)
    var use = [Int](repeating: 0, count: 50)
    for i in mask.columns { use[Int(i)] += 1 }
    // Each input is used Binomial(2000, 0.2) times: mean 400, sd ≈ 17.9; ±5 sd.
    #expect(use.allSatisfy { abs($0 - 400) < 90 })
  }
}
