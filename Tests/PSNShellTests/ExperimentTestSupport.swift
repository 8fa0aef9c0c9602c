import Foundation
import Testing

@testable import PSNCore
@testable import PSNShell

/// A test shell whose results go to a database file of its own, in a temporary directory that
/// is removed with the shell.
final class ExperimentShell {
  let shell = TestShell()
  let dir: String
  /// Whether this shell made `dir` (and removes it).
  private let ownsDirectory: Bool
  var dbPath: String { dir + "/results.sqlite" }

  /// A shell with a fresh directory, or one writing to `other`'s database (a second session).
  init(shard: String? = nil, sharing other: ExperimentShell? = nil) {
    if let other {
      dir = other.dir
      ownsDirectory = false
    } else {
      dir = FileManager.default.temporaryDirectory.appendingPathComponent("psn-exp-\(UUID().uuidString)").path
      try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
      ownsDirectory = true
    }
    shell.interpreter.environment["PSN_RESULTS"] = dbPath
    if let shard { shell.interpreter.environment["PSN_SHARD"] = shard }
  }

  deinit { if ownsDirectory { try? FileManager.default.removeItem(atPath: dir) } }

  var output: CapturedOutput { shell.output }
  var interpreter: Interpreter { shell.interpreter }

  func ok(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    shell.ok(text, sourceLocation: sourceLocation)
  }

  func error(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
    shell.error(text, sourceLocation: sourceLocation)
  }

  /// The database, opened afresh (as another program would).
  func database() throws -> ResultsDatabase { try ResultsDatabase(path: dbPath, readOnly: true) }

  /// The lines printed since `mark` (an index into `output.lines`).
  func lines(since mark: Int) -> [String] { Array(output.lines[mark...]) }

  /// The table printed after the line starting with `heading`: the header row, then each row up
  /// to the footnote.
  func table(after heading: String, since mark: Int = 0) -> [String] {
    let lines = lines(since: mark)
    guard let h = lines.lastIndex(where: { $0.hasPrefix(heading) }) else { return [] }
    return Array(lines[(h + 1)...].prefix { $0.hasPrefix("  ") && !$0.hasPrefix("  n = ") })
  }
}

/// The tiny task of the shell tests, with a block that gives each cell fresh masks and a run.
let tinySetup = "\(tinyData); \(tinyModel)"
let twoByTwoSweep = "sweep profile=lognormal,random seeds=1..2 name=grid { profile $profile sparsity=0.5 as=masks; train static epochs=2 as=$profile-s$seed }"

/// Sample mean and standard deviation (n − 1), computed here rather than by PSNCore.
func meanAndSD(_ xs: [Double]) -> (mean: Double, sd: Double) {
  let mean = xs.reduce(0, +) / Double(xs.count)
  let ss = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
  return (mean, (ss / Double(xs.count - 1)).squareRoot())
}

/// Every JSON object printed, with `key` present.
func jsonObjects(_ output: CapturedOutput, with key: String) -> [[String: Any]] {
  output.jsonLines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    .filter { $0[key] != nil }
}
