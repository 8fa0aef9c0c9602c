import Foundation
import PSNCore
import PSNShell

/// The interactive shell: reads lines with libedit, runs them, reports errors and goes on.
struct REPL {
  let interpreter: Interpreter
  let historyFile: String?

  static let banner = "psn \(PSNVersion.current) — help lists the commands, Tab completes, Ctrl-D leaves"

  func run() {
    let output = interpreter.output
    let completer = Completer(registry: interpreter.registry)
    let editor = LineEditor(historyFile: historyFile) { [interpreter] prefix in
      completer.complete(prefix, workspace: interpreter.workspace)
    }
    output.text(Self.banner)
    var input = InputBuffer()
    reading: while true {
      Interrupts.clear()
      switch editor.read(prompt: input.prompt) {
      case .end:
        break reading
      case .interrupted:
        input.clear()
        output.text("")  // the prompt comes back on a fresh line
      case .line(let line):
        switch input.add(line) {
        case .needsMore:
          continue
        case .invalid(let error, let typed):
          remember(typed, editor)
          output.error(input.describe(error, typed: typed))
        case .ready(let statements, let typed):
          remember(typed, editor)
          execute(statements, typed: typed, input)
        }
      }
    }
    output.text("")  // leave the user's shell prompt on a line of its own
    _ = editor.save()
  }

  private func remember(_ typed: [String], _ editor: LineEditor) {
    if let warning = editor.record(History.entries(for: typed)) { interpreter.output.note(warning) }
  }

  /// Runs what was typed; an error is printed and the shell goes on (the failed command left
  /// the workspace as it was).
  private func execute(_ statements: [Statement], typed: [String], _ input: InputBuffer) {
    interpreter.resetInterrupt()
    Interrupts.clear()
    do throws(Interpreter.Stop) {
      try interpreter.execute(statements)
    } catch {
      switch error {
      case .failed(let error): interpreter.output.error(input.describe(error, typed: typed))
      case .interrupted: break  // the interrupted command has said where it stopped
      case .quit: break
      }
    }
  }
}
