import Foundation
import Testing
@testable import PSNShell

/// The analysis examples and tutorials run end to end on the real Fashion-MNIST (installed by
/// scripts/setup), shrunk by their knobs: val=59000 leaves 1000 training samples, one or two
/// epochs, one seed. The checks are on the shape of the output, not on the numbers.
@Suite(.serialized) struct AnalysisExampleTests {
  static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../examples").standardized.path

  /// Runs `file` after `knobs` and returns the human output.
  static func run(_ file: String, knobs: String) throws -> String {
    let s = AnalysisSession(columns: 80)
    try s.run(knobs)
    do {
      try s.interpreter.runFile(examples + "/" + file)
    } catch .failed(let e) {
      throw e
    } catch {
      throw ShellError("\(file) stopped: \(error)")
    }
    return s.output.transcript
  }

  static func rows(after header: String, in text: String) -> [String] {
    let lines = text.components(separatedBy: "\n")
    guard let h = lines.firstIndex(where: { $0.hasPrefix(header) }) else { return [] }
    return Array(lines[(h + 2)...].prefix { $0.hasPrefix("  ") && !$0.hasPrefix("  Pearson") && !$0.hasPrefix("  largest") })
  }

  @Test func gradientHierarchyEndsWithTheTable() throws {
    let out = try Self.run("gradient-hierarchy.psn", knobs: "set epochs=1 val=59000 seeds=1")
    #expect(out.contains("layer 1: gradient concentration against fan-in CV over 8 masks (8 runs)"))
    let table = Self.rows(after: "  masks", in: out)
    #expect(table.count == 8, "\(table)")
    #expect(table.first?.hasPrefix("  random sparsity=0.9") == true)
    #expect(table.filter { $0.contains("lognormal cv=") }.count == 5)
    #expect(table.contains { $0.contains("power cv=1.5") } && table.contains { $0.contains("step cv=2") })
    #expect(out.contains("  Pearson r = "), "r is defined over 8 kinds of masks")
    #expect(out.contains("paper: concentration 2–5×"))
  }

  @Test func riglEquilibriumComparesFourStarts() throws {
    let out = try Self.run("rigl-equilibrium.psn", knobs: "set epochs=2 val=59000 dt=2")
    for run in ["static", "erk", "uniform", "lognormal", "constant"] {
      #expect(out.contains("\(run): test accuracy"), "\(run) trained")
    }
    #expect(out.contains("● CV   ○ σ (lognormal fit)"), "show rigl drew the trajectory")
    #expect(out.contains("converged (docs/rigl.md)"), "show equilibrium gave its criterion")
    let layer1 = Self.rows(after: "  run  ", in: out)
    #expect(layer1.map { $0.split(separator: " ").first.map(String.init) ?? "" } == ["erk", "uniform", "lognormal", "constant"])
    #expect(out.contains("at the start,"), "the spread of the four starts and ends")
    let script = try String(contentsOfFile: Self.examples + "/rigl-equilibrium.psn", encoding: .utf8)
    #expect(script.contains("Part 2"), "the marked place for the seed comparison")
  }

  @Test func profilesAndHubsTutorialRuns() throws {
    let out = try Self.run("tutorials/02-profiles-and-hubs.psn", knobs: "set epochs=1 val=59000")
    #expect(out.contains("fan-in │ neurons"))
    #expect(out.contains("receptive field of hub 1:"))
    #expect(out.contains("neuron 1:300 of m1"))
    #expect(out.contains("layer 1: gradient concentration against fan-in CV over 2 runs"))
  }

  @Test func riglEquilibriumTutorialRuns() throws {
    let out = try Self.run("tutorials/03-rigl-equilibrium.psn", knobs: "set epochs=2 val=59000 dt=2")
    #expect(out.contains("matched: equilibrium from=erk"))
    #expect(Self.rows(after: "  run  ", in: out).count == 3)
  }

  /// Every command of a tutorial has a comment block right above it: its narration in --step.
  @Test(arguments: ["tutorials/02-profiles-and-hubs.psn", "tutorials/03-rigl-equilibrium.psn"])
  func everyTutorialCommandIsNarrated(_ file: String) throws {
    let lines = try String(contentsOfFile: Self.examples + "/" + file, encoding: .utf8).components(separatedBy: "\n")
    for (i, line) in lines.enumerated() where !line.isEmpty && !line.hasPrefix("#") && !line.hasPrefix("default ") {
      #expect(i > 0 && lines[i - 1].hasPrefix("#"), "\(file):\(i + 1): '\(line)' has no narration above it")
    }
  }
}
