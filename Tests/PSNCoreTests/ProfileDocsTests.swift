import Foundation
import Testing

@testable import PSNCore

/// docs/profiles.md quotes numbers computed by this code; these tests recompute them so the
/// document cannot drift from the implementation. On a mismatch the expected text is printed in
/// the failure: paste it between the markers.
@Suite struct ProfileDocsTests {
  static let document = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("docs/profiles.md")

  static let layers = [(784, 300), (300, 100)]
  static let sparsities = [0.8, 0.9, 0.99]

  /// The reachable CV range of each family (default secondary parameters) per layer and sparsity.
  static func reachableTable() throws -> String {
    var header = "| family |"
    var rule = "|---|"
    for (nIn, nOut) in layers {
      for s in sparsities {
        header += " \(nIn)→\(nOut) s=\(s) |"
        rule += "---|"
      }
    }
    var lines = [header, rule]
    for family in ProfileFamily.allCases where family != .expr && family != .dense {
      var line = "| \(family.rawValue) |"
      for (nIn, nOut) in layers {
        for s in sparsities {
          let budget = try ProfileSpec.budget(sparsity: s, nIn: nIn, nOut: nOut)
          let r = try ProfileSpec(family: family).reachableCV(nIn: nIn, nOut: nOut, budget: budget)
          let (lo, hi) = (ProfileMath.decimal(r.lowerBound), ProfileMath.decimal(r.upperBound))
          line += lo == hi ? " \(lo) |" : " \(lo)–\(hi) |"
        }
      }
      lines.append(line)
    }
    var maximum = "| *most unequal* |"
    for (nIn, nOut) in layers {
      for s in sparsities {
        let budget = try ProfileSpec.budget(sparsity: s, nIn: nIn, nOut: nOut)
        let k = FanInAllocation.mostUnequalFanIns(nIn: nIn, nOut: nOut, budget: budget)
        maximum += " \(ProfileMath.decimal(FanInStatistics.cv(of: k))) |"
      }
    }
    lines.append(maximum)
    return lines.joined(separator: "\n")
  }

  /// Lognormal at 90% sparsity: σ from the closed form √(ln(1 + CV²)), the σ solved for the CV of
  /// the integer fan-ins, the MLE σ of their logarithms, and whether clipping bit.
  static func lognormalSigmaTable() throws -> String {
    var lines = [
      "| layer | cv | √(ln(1+cv²)) | solved sigma | fitted σ of ln k | min k | max k |",
      "|---|---|---|---|---|---|---|",
    ]
    for (nIn, nOut) in layers {
      let budget = try ProfileSpec.budget(sparsity: 0.9, nIn: nIn, nOut: nOut)
      for cv in [0.25, 0.5, 1, 1.5, 2] {
        let p = try ProfileSpec(family: .lognormal, cv: cv).fanIns(
          nIn: nIn, nOut: nOut, budget: budget)
        let fit = FanInStatistics.LognormalFit(p.fanIns)!
        let theory = log1p(cv * cv).squareRoot()
        let cells = [
          "\(nIn)→\(nOut)", ProfileMath.echo(cv), ProfileMath.decimal(theory, places: 3),
          ProfileMath.decimal(p.parameters["sigma"]!, places: 3),
          ProfileMath.decimal(fit.sigma, places: 3),
          "\(p.fanIns.min()!)", "\(p.fanIns.max()!)",
        ]
        lines.append("| " + cells.joined(separator: " | ") + " |")
      }
    }
    return lines.joined(separator: "\n")
  }

  /// The text between `<!-- name -->` and `<!-- /name -->` in docs/profiles.md.
  static func section(_ name: String) throws -> String {
    let text = try String(contentsOf: document, encoding: .utf8)
    let open = "<!-- \(name) -->\n"
    let close = "\n<!-- /\(name) -->"
    guard let a = text.range(of: open),
      let b = text.range(of: close, range: a.upperBound..<text.endIndex)
    else { return "(markers <!-- \(name) --> … <!-- /\(name) --> not found)" }
    return String(text[a.upperBound..<b.lowerBound])
  }

  @Test func reachableCVTableMatchesTheCode() throws {
    let expected = try Self.reachableTable()
    let documented = try Self.section("reachable-cv")
    #expect(documented == expected, "docs/profiles.md reachable-cv table should read:\n\(expected)")
  }

  @Test func lognormalSigmaTableMatchesTheCode() throws {
    let expected = try Self.lognormalSigmaTable()
    let documented = try Self.section("lognormal-sigma")
    #expect(
      documented == expected, "docs/profiles.md lognormal-sigma table should read:\n\(expected)")
  }

  @Test func familyHelpMatchesTheCode() throws {
    let expected = ProfileFamily.allCases.map { "```\n\($0.help)\n```" }.joined(separator: "\n\n")
    let documented = try Self.section("family-help")
    #expect(documented == expected, "docs/profiles.md family-help should read:\n\(expected)")
  }
}
