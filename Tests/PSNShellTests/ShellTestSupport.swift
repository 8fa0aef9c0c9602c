import Foundation
import Testing

@testable import PSNCore
@testable import PSNShell

/// An interpreter writing into a `CapturedOutput`, with helpers to run source and read results.
final class TestShell {
  let output = CapturedOutput()
  let interpreter: Interpreter

  init() {
    interpreter = Interpreter(output: output)
    interpreter.environment = ["PSN_THREADS": "1"]
  }

  var workspace: Workspace { interpreter.workspace }

  /// Runs `text`; returns the error it stopped with, if any.
  @discardableResult
  func run(_ text: String, source: String = "t.psn") -> ShellError? {
    do {
      try interpreter.run(text, source: source)
      return nil
    } catch {
      if case .failed(let e) = error { return e }
      return ShellError("stopped: \(error)")
    }
  }

  /// Runs `text` and fails the test if it reports an error.
  func ok(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    if let e = run(text) { Issue.record("\(text) failed: \(e)", sourceLocation: sourceLocation) }
  }

  /// The error `text` stops with (fails the test if it succeeds).
  func error(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
    guard let e = run(text) else {
      Issue.record("\(text) succeeded", sourceLocation: sourceLocation)
      return ""
    }
    return e.description
  }

  /// The JSON objects printed so far, parsed.
  var jsonObjects: [[String: Any]] {
    output.jsonLines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
  }
}

/// A tiny synthetic task that trains in milliseconds.
let tinyData = "load synthetic n=400 features=12 classes=3 seed=1"
let tinyModel = "model mlp hidden=16,8 seed=1"
