import Foundation
import PSNShell

/// The interactive shell: reads lines, runs them, reports errors and goes on.
struct REPL {
  let interpreter: Interpreter

  func run() {
    interpreter.output.text("psn \(PSNVersionText.current) — type help for commands, Ctrl-D to leave")
    var pending = ""
    while true {
      FileHandle.standardOutput.write(Data((pending.isEmpty ? "psn> " : "...> ").utf8))
      guard let line = readLine() else { break }
      pending += (pending.isEmpty ? "" : "\n") + line
      interpreter.resetInterrupt()
      do {
        try interpreter.run(pending, source: "psn")
        pending = ""
      } catch .failed(let error) where error.message.contains("is not closed") || error.message.contains("unterminated") {
        continue
      } catch .failed(let error) {
        interpreter.output.error("error: \(error.message)")
        pending = ""
      } catch {
        pending = ""
      }
    }
  }
}

enum PSNVersionText {
  static var current: String { "0.1.0" }
}
