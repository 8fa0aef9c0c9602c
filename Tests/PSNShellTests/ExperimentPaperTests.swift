import Foundation
import Testing

@testable import PSNShell

/// The paper's three scripts (examples/paper/) in quick mode, on the real Fashion-MNIST shrunk
/// to 1000 training samples, one epoch and two seeds: the numbers mean nothing, the tables'
/// shapes are checked. Full mode and its numbers: docs/reproduction.md.
@Suite(.serialized) struct ExperimentPaperTests {
  static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../examples").standardized.path

  /// Runs the example `file` after `set mode=quick`, with its results in a database of its own.
  static func run(_ file: String) -> ExperimentShell {
    let s = ExperimentShell()
    s.ok("set mode=quick; run \(examples)/\(file)")
    return s
  }

  /// The first column of a table's rows.
  static func firstColumn(_ rows: [String]) -> [String] {
    rows.dropFirst(2).map { String($0.dropFirst(2).prefix { $0 != " " }) }
  }

  @Test func staticProfilesAgainstDenseAndAcrossSparsity() throws {
    let s = Self.run("paper/1-static-profiles.psn")
    let profiles = ["cosine", "dense", "exponential", "gaussian", "hyperbolic", "linear", "lognormal", "power", "powerlaw", "random", "sigmoid", "step"]
    let accuracy = s.table(after: "sweep static-profiles: test_accuracy over 24 runs")
    #expect(accuracy.first?.hasSuffix("Δ vs dense") == true)
    #expect(Self.firstColumn(accuracy) == profiles)
    #expect(accuracy.first { $0.hasPrefix("  dense ") }?.hasSuffix("+0.00%") == true)
    let cvs = s.table(after: "sweep static-profiles: fanin_cv@1 over 24 runs")
    #expect(Self.firstColumn(cvs) == profiles)
    #expect(cvs.first { $0.hasPrefix("  lognormal ") }?.contains(" 1.000 ") == true)
    #expect(cvs.first { $0.hasPrefix("  linear ") }?.contains(" 0.550 ") == true)
    let range = s.table(after: "all runs: test_accuracy over 34 runs")
    #expect(range.first?.split(separator: " ").map(String.init) == ["profile", "sparsity=0.8", "sparsity=0.9", "sparsity=0.95", "sparsity=0.99", "sparsity=0.995", "sparsity=0.999", "sparsity=–"])
    #expect(Self.firstColumn(range) == ["dense", "lognormal", "power", "random"])
    #expect(s.output.lines.contains("difference from profile=dense:"))
  }

  /// examples/studies/static-gap.psn (docs/reproduction.md §1, the learning-rate study) on a
  /// one-cell grid: dense, random and lognormal side by side, each against dense.
  @Test func staticGapStudy() throws {
    let s = ExperimentShell()
    s.ok("set val=59000 seeds=1 lrs=0.01 epochlist=1; run \(Self.examples)/studies/static-gap.psn")
    let table = s.table(after: "sweep static-gap: test_accuracy over 3 runs")
    #expect(Self.firstColumn(table) == ["dense", "lognormal", "random"])
    #expect(table.first?.hasSuffix("Δ vs dense") == true)
    #expect(table.first { $0.hasPrefix("  dense ") }?.hasSuffix("+0.00%") == true)
  }

  @Test func gradientConcentrationAgainstFanInCV() throws {
    let s = Self.run("paper/2-gradient-hierarchy.psn")
    let table = s.table(after: "sweep hierarchy: gradient_concentration@1 over 26 runs")
    #expect(table.count == 2 + 13)
    #expect(s.output.lines.contains { $0.hasPrefix("sweep hierarchy: fanin_cv@1 against gradient_concentration@1 over 13 cells") })
    #expect(s.output.lines.contains { $0.hasPrefix("  Pearson r = ") && $0.hasSuffix("n = 13)") })
  }

  @Test func riglFromEquilibriumAgainstERKOverSeeds() throws {
    let s = Self.run("paper/3-rigl-equilibrium.psn")
    let table = s.table(after: "sweep rigl-init: test_accuracy over 4 runs")
    #expect(Self.firstColumn(table) == ["eq", "erk"])
    let out = s.output.transcript
    #expect(out.contains("sweep rigl-init: test_accuracy, init=eq against init=erk"))
    #expect(out.contains("  Welch's t-test: t = ") && out.contains("  Cohen's d = ") && out.contains("  paired t-test over the 2 shared seeds: t = "))
    #expect(try s.database().runs().filter { $0.tags["sweep"] == "rigl-init" }.map(\.method) == [.rigl, .rigl, .rigl, .rigl])
  }
}
