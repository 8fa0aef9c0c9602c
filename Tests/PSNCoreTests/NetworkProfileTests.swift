import Testing
@testable import PSNCore

@Suite struct NetworkProfileTests {
  let sizes = [784, 300, 100, 10]

  @Test func uniformKeepsTheLogitLayerDenseByDefault() throws {
    let spec = NetworkProfileSpec(profile: try ProfileSpec(family: .lognormal, cv: 1.5), sparsity: 0.9)
    let p = try spec.build(sizes: sizes)
    #expect(p.masks[2] == nil)
    #expect(p.masks[0]!.nnz == 23520)
    #expect(p.masks[1]!.nnz == 3000)
    #expect(abs(p.layers[0]!.achievedCV - 1.5) <= 0.02)
    #expect(abs(p.sparsity - 0.9) < 1e-9)
    #expect(try spec.build(sizes: sizes) == p, "same seed, same masks")
  }

  @Test func erkAndProfiledLayers() throws {
    var spec = NetworkProfileSpec(profile: try ProfileSpec(family: .linear, cv: 0.5), sparsity: 0.9, allocation: .erk)
    spec.profiledLayers = [0]
    let p = try spec.build(sizes: sizes)
    #expect(p.masks[2] == nil, "ERK caps the logit layer at 90%")
    #expect(abs(p.masks[0]!.density - 0.0796) < 5e-4)
    #expect(p.layers[0]!.family == .linear)
    #expect(p.layers[1]!.family == .random, "layers outside layers= get the random baseline")
  }

  @Test func denseFamilyAndBadLayer() throws {
    let dense = try NetworkProfileSpec(profile: ProfileSpec(family: .dense), sparsity: 0.9).build(sizes: sizes)
    #expect(dense.masks.allSatisfy { $0 == nil })
    var spec = NetworkProfileSpec(profile: try ProfileSpec(family: .linear), sparsity: 0.9)
    spec.profiledLayers = [5]
    #expect(throws: BudgetError.layer(6, count: 3)) { try spec.build(sizes: sizes) }
  }

  @Test func unreachableCVNamesTheLayer() throws {
    let spec = NetworkProfileSpec(profile: try ProfileSpec(family: .linear, cv: 1.5), sparsity: 0.9)
    do {
      _ = try spec.build(sizes: sizes)
      Issue.record("linear cannot reach CV 1.5")
    } catch let e as NetworkProfileError {
      #expect(e.description.hasPrefix("layer 1 (784→300): "))
    }
  }
}

@Suite struct EquilibriumTests {
  func record(step: Int, _ fanIns: [Int]) -> MaskUpdateRecord {
    MaskUpdateRecord(step: step, dropFraction: 0.1, layers: [LayerMaskUpdate(layer: 0, dropped: 1, grown: 1, regrown: 0, churn: 0.1, fanIns: fanIns)])
  }

  /// The distribution moves for three updates, then stays: stable from update 3 of 8.
  @Test func convergedTrajectory() {
    let start = Array(repeating: 10, count: 100)
    let moving = (0..<100).map { 10 + ($0 % 5) - 2 }
    let settled = (0..<100).map { $0 < 50 ? 5 : 15 }
    var records = [record(step: 0, start), record(step: 100, moving), record(step: 200, (0..<100).map { $0 < 50 ? 7 : 13 })]
    for u in 3...8 { records.append(record(step: u * 100, settled)) }
    let t = FanInTrajectory(records)
    let v = t.verdicts()[0]
    #expect(v.stableFromUpdate == 3)
    #expect(v.stableFromStep == 300)
    #expect(v.converged)
    #expect(abs(v.finalCV - 0.5) < 1e-12)
    #expect(t.layers[0]![1].ksToPrevious! > 0)
    #expect(t.layers[0]![4].ksToPrevious == 0)
  }

  /// Still changing at the last update: only the last update is "stable", not converged.
  @Test func movingTrajectoryIsNotConverged() {
    let records = (0...8).map { u in record(step: u * 100, (0..<100).map { $0 < 50 ? 10 - u : 10 + u }) }
    let v = FanInTrajectory(records).verdicts()[0]
    #expect(!v.converged)
    #expect(v.stableFromUpdate == 8)
  }

  /// Lognormal masks matched to a run: same counts, σ of the built fan-ins close to the source's.
  @Test func equilibriumProfileMatchesLayerByLayer() throws {
    let source = try NetworkProfileSpec(profile: ProfileSpec(family: .lognormal, cv: 1.0), sparsity: 0.9, seed: 4).build(sizes: [784, 300, 100, 10])
    let spec = try NetworkProfileSpec.equilibrium(matching: source.masks, seed: 9)
    let built = try spec.build(sizes: [784, 300, 100, 10])
    for l in 0..<2 {
      #expect(built.masks[l]!.nnz == source.masks[l]!.nnz)
      let a = FanInStatistics.LognormalFit(source.masks[l]!.fanIns)!.sigma
      let b = FanInStatistics.LognormalFit(built.masks[l]!.fanIns)!.sigma
      #expect(abs(a - b) < 0.05 * a, "layer \(l + 1): σ \(b) vs source \(a)")
    }
    #expect(built.masks[2] == nil)
  }
}
