import Foundation
import Testing
@testable import PSNCore

/// The gradient hierarchy end to end through the trainer's collector (NeuronStatisticsTests
/// covers the collector against per-batch gradients and the formulas on constructed statistics),
/// plus the per-neuron summaries and the across-run correlation.
@Suite struct AnalysisHierarchyTests {
  /// A dataset whose every sample has all features equal (x_{i,b} = c_b), so every input of a
  /// neuron carries the same gradient.
  static func constantFeatureData(samples: Int, features: Int, classes: Int) -> Dataset {
    var rng = PSNRandom(seed: 8, stream: "test.constant-features")
    var x: [Float] = []
    var y: [Int32] = []
    for b in 0..<samples {
      let c = Float(rng.nextNormal())
      x += Array(repeating: c, count: features)
      y.append(Int32(b % classes))
    }
    let split = Dataset.Split(features: x, labels: y)
    return Dataset(name: "constant", featureCount: features, classCount: classes, train: split, test: split, source: "test")
  }

  /// Six hidden neurons with the same inputs, the same weights and the same outgoing weights stay
  /// identical through training (every kernel computes each neuron with the same operations in
  /// the same order), so the collector gives them identical G and the layer concentration
  /// exactly 1 — not merely close to it.
  @Test func identicalNeuronsThroughTrainingGiveConcentrationExactlyOne() throws {
    let data = TestSupport.blobs(samples: 96, features: 4, classes: 3, seed: 6)
    let first = try Mask(nIn: 4, nOut: 6, rows: Array(repeating: [0, 2, 3], count: 6))
    // Output 3 listens to nobody, which keeps the layer sparse (its kernels are per-row loops)
    // while every hidden neuron has the same outgoing weights.
    let second = try Mask(nIn: 6, nOut: 3, rows: [Array(0..<6), Array(0..<6), []])
    var model = try MLP(sizes: [4, 6, 3], masks: [first, second], seed: 1)
    model.layers[0].weights = (0..<6).flatMap { _ in [0.4, -0.3, 0.2] as [Float] }
    model.layers[0].bias = Array(repeating: 0.1, count: 6)
    model.layers[1].weights = [Array(repeating: Float(0.5), count: 6), Array(repeating: Float(-0.7), count: 6)].flatMap { $0 }
    var c = TrainingConfig()
    c.epochs = 2
    c.batchSize = 16
    let trainer = try Trainer(model: model, data: data, config: c)
    try trainer.run()
    let s = try #require(trainer.state.neuronStatistics)[0]
    #expect(s.steps == 6)
    #expect(Set(s.gradientNorms).count == 1, "identical neurons, identical G: \(s.gradientNorms)")
    #expect(s.gradientNorms[0] > 0)
    #expect(Set(s.weightNorms).count == 1)
    for q in [0.1, 0.5, 1.0] {
      #expect(s.hierarchy(hubFraction: q).concentration == 1)
    }
    #expect(s.hierarchy().fanInGradientCorrelation == nil, "fan-in is constant")
    #expect(Set(s.summaries(of: Array(0..<6)).map(\.relativeGradient)) == [1])
  }

  /// A constructed case with known gradient ratios, through the collector. First-layer weights are
  /// 0 with bias 0.5, so every hidden neuron outputs 0.5 on every sample; the logit layer gives
  /// every hidden neuron the same outgoing weights, so every hidden neuron gets the same error
  /// δ_b; and every feature of sample b equals c_b, so every active weight of neuron j has the
  /// same gradient g = Σ_b δ_b c_b / B. Hence G_j = |g| √k_j: with fan-ins 16, 9, 4 and seven 1s,
  /// G_0 : G_1 : G_2 : G_3 = 4 : 3 : 2 : 1 and, with the single hub (top 10% of 10) being
  /// neuron 0, concentration = 4 / ((4 + 3 + 2 + 7·1) / 10) = 2.5. One step, so one gradient.
  @Test func knownGradientRatiosThroughTheCollector() throws {
    let fanIns = [16, 9, 4, 1, 1, 1, 1, 1, 1, 1]
    let data = Self.constantFeatureData(samples: 40, features: 16, classes: 3)
    var rng = PSNRandom(seed: 3, stream: "test.masks")
    let mask = Mask.randomInputs(nIn: 16, fanIns: fanIns, rng: &rng)
    var model = try MLP(sizes: [16, 10, 3], masks: [mask, nil], seed: 2)
    model.layers[0].weights = Array(repeating: 0, count: mask.nnz)
    model.layers[0].bias = Array(repeating: 0.5, count: 10)
    model.layers[1].weights = [Float](repeating: 0.3, count: 10) + [Float](repeating: -0.2, count: 10) + [Float](repeating: 0.1, count: 10)
    var c = TrainingConfig()
    c.epochs = 1
    c.batchSize = 40  // one step
    c.threads = 1
    let trainer = try Trainer(model: model, data: data, config: c)
    try trainer.run()
    let s = try #require(trainer.state.neuronStatistics)[0]
    #expect(s.steps == 1)
    let g = s.gradientNorms
    #expect(g[3] > 1e-6)
    for j in 0..<10 {
      let expected = (Double(fanIns[j]) / Double(fanIns[3])).squareRoot()
      #expect(abs(g[j] / g[3] - expected) < 1e-5, "G_\(j)/G_3 = \(g[j] / g[3]), expected √(k_j/k_3) = \(expected)")
    }
    let h = s.hierarchy(hubFraction: 0.1)
    #expect(h.hubs == [0])
    #expect(abs(h.concentration - 2.5) < 1e-5)
    // Two hubs (fraction 0.2): (4 + 3)/2 / 1.6.
    #expect(abs(s.hierarchy(hubFraction: 0.2).concentration - 3.5 / 1.6) < 1e-5)
    let top = s.topByFanIn(3)
    #expect(top.map(\.neuron) == [0, 1, 2])
    #expect(top.map(\.gradientRank) == [1, 2, 3])
    #expect(abs(top[0].relativeGradient - 2.5) < 1e-5)
    #expect(abs(top[0].gradientShare - 4 / 16) < 1e-5)
  }

  /// Ranks and hub flags follow the fan-in order with ties to the lower index; the mean of the
  /// hubs' relative G is the layer's concentration.
  @Test func neuronSummariesRankAndFlagHubs() {
    let fanIns = [5, 9, 9, 2, 7, 9, 1, 3, 4, 6, 8, 5]
    let g: [Double] = [0.5, 0.2, 0.9, 0.1, 0.7, 0.9, 0.05, 0.3, 0.4, 0.6, 0.8, 0.5]
    let s = LayerNeuronStatistics(
      layer: 1, fanIns: fanIns, gradientNorms: g, weightNorms: g.map { $0 * 2 },
      activationRates: fanIns.map { Double($0) / 10 }, steps: 3, samples: 30, isSparse: true)
    #expect(s.fanInOrder == [1, 2, 5, 10, 4, 9, 0, 11, 8, 7, 3, 6])
    #expect(s.hubCount(fraction: 0.1) == 2)
    #expect(s.hubCount(fraction: 0.25) == 3)
    #expect(s.hubCount(fraction: 1e-6) == 1)
    let all = s.summaries(of: Array(0..<12), hubFraction: 0.25)
    #expect(all.map(\.fanInRank) == [7, 1, 2, 11, 5, 3, 12, 10, 9, 6, 4, 8])
    // G order: 2 and 5 tie at 0.9 (2 first), 10 (0.8), 4 (0.7), 9 (0.6), 0 and 11 tie at 0.5 (0 first), ...
    #expect(all.map(\.gradientRank) == [6, 10, 1, 11, 4, 2, 12, 9, 8, 5, 3, 7])
    #expect(all.filter(\.isHub).map(\.neuron) == s.hubs(fraction: 0.25))
    let hubs = all.filter(\.isHub)
    let meanRelative = hubs.map(\.relativeGradient).reduce(0, +) / Double(hubs.count)
    #expect(abs(meanRelative - s.hierarchy(hubFraction: 0.25).concentration) < 1e-12)
    #expect(abs(all.map(\.gradientShare).reduce(0, +) - 1) < 1e-12)
    #expect(all[4].activationRate == 0.7)
    #expect(all[4].weightNorm == 1.4)
  }

  /// Pearson r between CV and concentration against a two-pass computation written out here;
  /// too few runs is an error, not a number.
  @Test func acrossRunsCorrelatesCVWithConcentration() throws {
    // Four "runs": 10 neurons, hub = neuron 0 (largest fan-in), G = 1 except the hub's.
    let cases: [(fanIns: [Int], hubG: Double)] = [
      ([12, 10, 10, 10, 10, 10, 10, 10, 10, 8], 1.1),
      ([30, 10, 9, 9, 8, 8, 7, 7, 6, 6], 1.9),
      ([60, 5, 5, 5, 5, 4, 4, 4, 4, 4], 3.2),
      ([90, 2, 1, 1, 1, 1, 1, 1, 1, 1], 4.1),
    ]
    let runs = cases.enumerated().map { i, c in
      (label: "run\(i + 1)", statistics: LayerNeuronStatistics(
        layer: 0, fanIns: c.fanIns, gradientNorms: [c.hubG] + Array(repeating: 1, count: 9),
        weightNorms: Array(repeating: 1, count: 10), activationRates: nil, steps: 1, samples: 1, isSparse: true))
    }
    let across = HierarchyAcrossRuns(layer: 0, runs: runs)
    #expect(across.points.map(\.label) == ["run1", "run2", "run3", "run4"])
    // CV by hand (population std), concentration = hubG / ((hubG + 9) / 10).
    var x: [Double] = []
    var y: [Double] = []
    for c in cases {
      let k = c.fanIns.map(Double.init)
      let mean = k.reduce(0, +) / 10
      x.append((k.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 10).squareRoot() / mean)
      y.append(c.hubG / ((c.hubG + 9) / 10))
    }
    for (p, (cv, conc)) in zip(across.points, zip(x, y)) {
      #expect(abs(p.fanInCV - cv) < 1e-12)
      #expect(abs(p.concentration - conc) < 1e-12)
    }
    let (mx, my) = (x.reduce(0, +) / 4, y.reduce(0, +) / 4)
    let sxy = zip(x, y).map { ($0 - mx) * ($1 - my) }.reduce(0, +)
    let sxx = x.map { ($0 - mx) * ($0 - mx) }.reduce(0, +)
    let syy = y.map { ($0 - my) * ($0 - my) }.reduce(0, +)
    let r = try across.pearson.get()
    #expect(abs(r.r - sxy / (sxx * syy).squareRoot()) < 1e-12)
    #expect(r.count == 4)
    #expect(try across.spearman.get().r == 1, "concentration rises with CV in every case")

    let two = HierarchyAcrossRuns(layer: 0, runs: Array(runs.prefix(2)))
    #expect(throws: StatisticsError.tooFewValues(statistic: "Pearson r", needed: 3, got: 2)) { try two.pearson.get() }
  }
}
