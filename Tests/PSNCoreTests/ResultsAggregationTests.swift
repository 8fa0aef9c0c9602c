import Foundation
import Testing
@testable import PSNCore

@Suite struct ResultsAggregationTests {
  /// A run whose test accuracy is `accuracy` (nil: no test set), with tags.
  func run(_ accuracy: Double?, seed: UInt64, _ tags: [String: String] = [:], method: TrainingMethod = .static) -> RunRecord {
    var r = ResultsFixtures.fullRecord(seed: seed, tags: tags)
    r.method = method
    r.final = RunRecord.Metrics(testAccuracy: accuracy)
    return r
  }

  @Test func cellSummariesMatchScipy() throws {
    let fixture = try StatisticsFixture.load()
    for sample in fixture.samples {
      let runs = sample.values.enumerated().map { run($1, seed: UInt64($0)) }
      let s = try MetricSample(runs, metric: .testAccuracy)
      #expect(s.n == sample.values.count && s.missing == 0)
      expectClose(s.mean!, sample.mean, "\(sample.name) mean")
      expectClose(s.standardDeviation!, sample.std, "\(sample.name) std")
      expectClose(s.confidenceInterval!.lowerBound, sample.ci95[0], "\(sample.name) CI low")
      expectClose(s.confidenceInterval!.upperBound, sample.ci95[1], "\(sample.name) CI high")
    }
  }

  @Test func runsAreGroupedByKeysIntoSortedCells() throws {
    // By hand: cv=2 → {0.8, 0.9, 0.7} (mean 0.8, s 0.1), cv=10 → {0.5} (n 1), cv=0.5 → {0.6, 0.64}
    // plus a run without a test set, and one run without the cv tag.
    let runs = [
      run(0.8, seed: 1, ["cv": "2"]), run(0.5, seed: 1, ["cv": "10"]), run(0.64, seed: 2, ["cv": "0.5"]),
      run(0.9, seed: 2, ["cv": "2"]), run(nil, seed: 3, ["cv": "0.5"]), run(0.7, seed: 3, ["cv": "2"]),
      run(0.6, seed: 1, ["cv": "0.5"]), run(0.3, seed: 1, ["other": "x"]),
    ]
    let table = try ResultsTable(runs: runs, groupBy: ["cv"])
    #expect(table.cells.map(\.key) == [["0.5"], ["2"], ["10"], [nil]])  // numeric order, nil last
    let (low, two, ten, none) = (table.cells[0].sample, table.cells[1].sample, table.cells[2].sample, table.cells[3].sample)
    #expect(low.n == 2 && low.missing == 1 && low.seeds == [1, 2] && low.values == [0.6, 0.64])
    #expect(abs(low.mean! - 0.62) < 1e-15)
    #expect(abs(low.standardDeviation! - 0.04 / 2.0.squareRoot()) < 1e-15)
    #expect(two.seeds == [1, 2, 3] && two.values == [0.8, 0.9, 0.7])
    #expect(abs(two.mean! - 0.8) < 1e-15 && abs(two.standardDeviation! - 0.1) < 1e-15)
    // 95% CI with t(0.975, 2) = 4.302652729749462 (scipy): 0.8 ± 4.3027 · 0.1/√3.
    let half = 4.302652729749462 * 0.1 / 3.0.squareRoot()
    #expect(abs(two.confidenceInterval!.lowerBound - (0.8 - half)) < 1e-12)
    #expect(abs(two.confidenceInterval!.upperBound - (0.8 + half)) < 1e-12)
    #expect(ten.n == 1 && ten.mean == 0.5 && ten.standardDeviation == nil && ten.confidenceInterval == nil)
    #expect(none.values == [0.3])
    // The same runs in another order give the same table, bit for bit.
    #expect(try ResultsTable(runs: runs.reversed(), groupBy: ["cv"]) == table)
    #expect(try ResultsTable(runs: [runs[4]], groupBy: ["cv"]).cells[0].sample.mean == nil)
  }

  @Test func keysFallBackToRunFieldsAndSortTextAfterNumbers() throws {
    let runs = [
      run(0.8, seed: 1, ["cv": "1"], method: .rigl), run(0.7, seed: 1, ["cv": "1"], method: .static),
      run(0.6, seed: 1, ["cv": "dense"], method: .static), run(0.5, seed: 2, ["cv": "1"], method: .rigl),
    ]
    let table = try ResultsTable(runs: runs, groupBy: ["cv", "method"])
    #expect(table.cells.map(\.key) == [["1", "rigl"], ["1", "static"], ["dense", "static"]])
    #expect(table.cells[0].sample.values == [0.8, 0.5])
    #expect(ResultsTable.precedes(["2"], ["10"]) && ResultsTable.precedes(["10"], ["a"]) && !ResultsTable.precedes([nil], ["a"]))
  }

  @Test func comparisonsMatchScipyAndPairBySeed() throws {
    let fixture = try StatisticsFixture.load()
    for c in fixture.twoSample where c.a.count >= 2 && c.b.count >= 2 {
      // B's seeds start at 100, so the paired test does not apply.
      let a = c.a.enumerated().map { run($1, seed: UInt64($0)) }
      let b = c.b.enumerated().map { run($1, seed: UInt64(100 + $0)) }
      let comparison = try RunComparison(a, b)
      let welch = try comparison.welch.get()
      expectClose(welch.t, c.welch.t, "\(c.name) Welch t")
      expectClose(welch.degreesOfFreedom, c.welch.df, "\(c.name) Welch df")
      expectClose(welch.pValue, c.welch.p, "\(c.name) Welch p")
      expectClose(try comparison.cohensD.get(), c.cohenD, "\(c.name) d")
      expectClose(try comparison.hedgesG.get(), c.hedgesG, "\(c.name) g")
      expectClose(comparison.difference!, try Statistics.mean(c.a) - Statistics.mean(c.b), "\(c.name) difference")
      #expect(comparison.paired == nil)
    }
    for p in fixture.paired {
      // Same seeds, listed in another order in B: pairing goes by seed, not by position.
      let a = p.a.enumerated().map { run($1, seed: UInt64(10 + $0)) }
      let b = p.b.enumerated().map { run($1, seed: UInt64(10 + $0)) }.reversed()
      let paired = try #require(try RunComparison(a, Array(b)).paired).get()
      expectClose(paired.t, p.t, "\(p.name) paired t")
      expectClose(paired.pValue, p.p, "\(p.name) paired p")
      #expect(paired.degreesOfFreedom == p.df)
    }
  }

  @Test func undefinedTestsSayWhy() throws {
    let constant = try RunComparison([run(0.5, seed: 1), run(0.5, seed: 2)], [run(0.5, seed: 1), run(0.5, seed: 2)])
    #expect(constant.welch == .failure(.zeroVariance(statistic: "Welch t-test")))
    #expect(constant.paired == .failure(.zeroVariance(statistic: "paired t-test")))
    #expect(constant.difference == 0)
    let single = try RunComparison([run(0.5, seed: 1)], [run(0.6, seed: 1), run(nil, seed: 2)])
    #expect(single.welch == .failure(.tooFewValues(statistic: "Welch t-test", needed: 2, got: 1)))
    #expect(single.b.missing == 1 && single.paired == .failure(.tooFewValues(statistic: "paired t-test", needed: 2, got: 1)))
    let nothing = try RunComparison([], [run(0.6, seed: 1)])
    #expect(nothing.difference == nil && nothing.a.mean == nil)
    #expect(throws: ResultsError.self) { try MetricSample([], metric: .testAccuracy, level: 1) }
  }

  @Test func aKeyNoRunCarriesIsRefusedWithASuggestion() throws {
    // A misspelt tag would otherwise put every run into one "–" cell, silently.
    let runs = [run(0.8, seed: 1, ["profile": "dense", "lr": "0.01"]), run(0.7, seed: 2, ["profile": "random"])]
    do {
      _ = try ResultsTable(runs: runs, groupBy: ["profle"])
      Issue.record("a key no run carries must be refused")
    } catch {
      guard case .unknownKey(let name, let suggestion, let known) = error else { Issue.record("\(error)"); return }
      #expect(name == "profle" && suggestion == "profile")
      #expect(known.contains("lr") && known.contains("method"))
      #expect(error.description.hasPrefix("key 'profle': no selected run has a value for that tag or field (did you mean 'profile'?"))
    }
    // A run field none of the runs sets (dense runs have no profile) is refused too, without
    // suggesting itself.
    var dense = run(0.8, seed: 1)
    dense.profile = nil
    do {
      _ = try ResultsTable(runs: [dense], groupBy: ["profile"])
      Issue.record("a field no run sets must be refused")
    } catch {
      guard case .unknownKey(let name, let suggestion, let known) = error else { Issue.record("\(error)"); return }
      #expect(name == "profile" && suggestion != "profile" && !known.contains("profile") && known.contains("method"))
    }
    // A key some runs carry is fine (the others form the "–" cell), and so are no runs at all.
    #expect(try ResultsTable(runs: runs, groupBy: ["lr"]).cells.map(\.key) == [["0.01"], [nil]])
    #expect(try ResultsTable(runs: [], groupBy: ["anything"]).cells.isEmpty)
  }

  @Test func metricsAreSpelledAsColumns() throws {
    #expect(try RunMetric(parsing: "test_accuracy") == .testAccuracy)
    #expect(try RunMetric(parsing: "gradient_concentration@2") == RunMetric(quantity: .gradientConcentration, layer: 2))
    #expect(try RunMetric(parsing: "fanin_cv@1").description == "fanin_cv@1")
    #expect(throws: ResultsError.unknownMetric(name: "test_acuracy", suggestion: "test_accuracy", known: Self.known)) {
      try RunMetric(parsing: "test_acuracy")
    }
    #expect(throws: ResultsError.unknownMetric(name: "fanin_cv", suggestion: "fanin_cv@1", known: Self.known)) {
      try RunMetric(parsing: "fanin_cv")
    }
    #expect(throws: ResultsError.unknownMetric(name: "test_loss@1", suggestion: "test_loss", known: Self.known)) {
      try RunMetric(parsing: "test_loss@1")
    }
    #expect(throws: ResultsError.self) { try RunMetric(parsing: "fanin_cv@0") }
    #expect(
      ResultsError.unknownMetric(name: "zzz", suggestion: nil, known: ["a", "b"]).description
        == "metric 'zzz': unknown metric (should be one of a, b)")
    // Values come from the record's fields and layers.
    let r = ResultsFixtures.fullRecord()
    #expect(try RunMetric(parsing: "gradient_concentration@1").value(of: r) == 2.5)
    #expect(try RunMetric(parsing: "fanin_cv@2").value(of: r) == nil)
    #expect(try RunMetric(parsing: "val_loss").value(of: r) == 0.52)
    #expect(try RunMetric(parsing: "wall_seconds").value(of: r) == 12.5)
  }

  static let known = RunMetric.Quantity.allCases.map { $0.isPerLayer ? $0.rawValue + "@L" : $0.rawValue }
}
