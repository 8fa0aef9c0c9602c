import Foundation
import PSNCore
@testable import PSNShell

/// An interpreter with captured output, for the analysis views' tests.
final class AnalysisSession {
  let output: CapturedOutput
  let interpreter: Interpreter

  init(columns: Int = 80) {
    output = CapturedOutput(columns: columns)
    interpreter = Interpreter(output: output)
    interpreter.environment["PSN_THREADS"] = "1"
  }

  /// A synthetic task (36 features shown as 6×6 "images"), a 36-24-12-3 model with lognormal
  /// masks, and one static run `run1` with neuron statistics.
  static func trained(columns: Int = 80) throws -> AnalysisSession {
    let s = AnalysisSession(columns: columns)
    try s.run("load synthetic n=600 features=36 classes=3 seed=2")
    try s.makeImages()
    try s.run("model hidden=24,12; profile lognormal cv=1 sparsity=0.8; train static epochs=2 batch=64")
    return s
  }

  /// Gives the current dataset a 6×6 image layout, so receptive fields are drawn as images.
  func makeImages() throws {
    let (name, d) = try interpreter.workspace.dataset()
    var object = d
    object.data.imageShape = Dataset.ImageShape(rows: 6, cols: 6)
    interpreter.workspace.update(.dataset(object), as: name)
  }

  func run(_ text: String) throws {
    do {
      try interpreter.run(text, source: "test")
    } catch .failed(let e) {
      throw e
    } catch {
      throw ShellError("stopped: \(error)")
    }
  }

  /// Runs `command --json` and returns its result object.
  func json(_ command: String) throws -> [String: Any] {
    let before = output.jsonLines.count
    try run(command + " --json")
    guard output.jsonLines.count == before + 1, let line = output.jsonLines.last,
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    else { throw ShellError("\(command) gave no JSON object") }
    return object
  }

  /// The error `text` stops with (nil when it succeeds).
  func error(_ text: String) -> String? {
    do {
      try interpreter.run(text, source: "test")
      return nil
    } catch .failed(let e) {
      return e.description
    } catch {
      return "\(error)"
    }
  }

  /// Human output since `mark` (a line count taken before).
  func lines(since mark: Int) -> [String] { Array(output.lines[mark...]) }

  var run1: TrainingRun { interpreter.workspace["run1"]!.run! }
  var model: MLP { interpreter.workspace["m1"]!.model!.model }
}

extension Dictionary where Key == String, Value == Any {
  /// `layers` as an array of objects.
  var layers: [[String: Any]] { self["layers"] as! [[String: Any]] }
  func double(_ key: String) -> Double? { (self[key] as? NSNumber)?.doubleValue }
  func int(_ key: String) -> Int? { (self[key] as? NSNumber)?.intValue }
  func ints(_ key: String) -> [Int] { (self[key] as! [NSNumber]).map(\.intValue) }
  func doubles(_ key: String) -> [Double] { (self[key] as! [NSNumber]).map(\.doubleValue) }
}
