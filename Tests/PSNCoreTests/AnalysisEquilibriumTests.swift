import Testing
@testable import PSNCore

/// `analyze equilibrium`'s comparison of runs, on hand-made mask-update records.
@Suite struct AnalysisEquilibriumTests {
  /// A trajectory whose layer 0 goes through `fanIns` (update 0 first); layer 1 is sparse only when
  /// `second` is given.
  static func trajectory(_ fanIns: [[Int]], second: [Int]? = nil) -> FanInTrajectory {
    FanInTrajectory(fanIns.enumerated().map { u, k in
      var layers = [LayerMaskUpdate(layer: 0, dropped: u == 0 ? 0 : 1, grown: u == 0 ? 0 : 1, regrown: 0, churn: u == 0 ? 0 : 0.2, fanIns: k)]
      if let second { layers.append(LayerMaskUpdate(layer: 1, dropped: 0, grown: 0, regrown: 0, churn: 0, fanIns: second)) }
      return MaskUpdateRecord(step: 10 * u, dropFraction: 0.1, layers: layers)
    })
  }

  /// Proportional final fan-ins (one run has twice the density) are the same shape: the
  /// normalised KS distance is 0. At the start a constant and a spread layer differ by 3/4:
  /// normalised, A is four 1s and B is 0.2, 0.4, 0.6, 2.8, so F_B(1) = 3/4 while F_A(1) = 1.
  @Test func comparesShapesScaleFree() {
    let a = Self.trajectory([[5, 5, 5, 5], [3, 5, 5, 7], [2, 4, 6, 8], [2, 4, 6, 8]], second: [1, 2])
    let b = Self.trajectory([[1, 2, 3, 14], [1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]])
    let layer0 = EquilibriumComparison(layer: 0, runs: [("a", a), ("b", b)])
    #expect(layer0.entries.map(\.label) == ["a", "b"])
    #expect(layer0.entries[0].start.cv == 0)
    #expect(layer0.entries[0].final.cv == FanInStatistics([2, 4, 6, 8]).cv)
    #expect(layer0.entries[1].final.sigma == FanInStatistics.LognormalFit([1, 2, 3, 4])!.sigma)
    #expect(layer0.maxFinalDistance == 0)
    #expect(layer0.maxStartDistance == 0.75)
    // Layer 1 is sparse in run a only: one entry, no pairs.
    let layer1 = EquilibriumComparison(layer: 1, runs: [("a", a), ("b", b)])
    #expect(layer1.entries.map(\.label) == ["a"])
    #expect(layer1.maxFinalDistance == nil)
    #expect(EquilibriumComparison.normalised([0, 0]) == [0, 0])
  }

  /// The verdict in each entry is the trajectory's own, at the criterion given.
  @Test func carriesEachRunsVerdict() {
    let settled = Self.trajectory([[5, 5, 5, 5], [2, 4, 6, 8], [2, 4, 6, 8], [2, 4, 6, 8], [2, 4, 6, 8]])
    // Every update spreads the fan-ins further, so only the last point is near the end state.
    let moving = Self.trajectory([
      [5, 5, 5, 5], [4, 5, 5, 6], [3, 5, 5, 7], [2, 5, 5, 8], [1, 5, 5, 9], [1, 4, 6, 9], [1, 3, 7, 9], [1, 2, 8, 9], [1, 1, 9, 9],
    ])
    let c = EquilibriumComparison(layer: 0, runs: [("settled", settled), ("moving", moving)])
    #expect(c.entries[0].verdict == settled.verdicts()[0])
    #expect(c.entries[0].verdict.converged)
    #expect(c.entries[0].verdict.stableFromUpdate == 1)
    #expect(!c.entries[1].verdict.converged)
    #expect(c.entries[1].verdict.stableFromUpdate == 8)
    #expect(settled.fanIns(update: 1, layer: 0) == [2, 4, 6, 8])
    #expect(settled.fanIns(update: 9, layer: 0).isEmpty)
    #expect(settled.fanIns(update: 0, layer: 3).isEmpty)
  }
}
