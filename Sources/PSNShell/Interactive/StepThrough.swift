import Foundation

/// Step-through mode (`psn --step FILE.psn`): before each command, show the comment block above
/// it as narration and the command itself, then wait for an answer: Enter runs it, `c` runs it
/// and the rest without stopping (still showing each command), `q` quits.
///
/// A command inside a loop is shown each time it runs, with the values of the variables it uses;
/// its narration only the first time. The front end supplies `ask`, which shows a prompt and
/// reads one answer line (nil at the end of input, which `endOfInput` decides about).
public final class StepThrough {
  public enum Answer: Equatable, Sendable {
    case run, runRest, quit

    /// An answer as typed: empty = run, `c`/`continue`, `q`/`quit`; nil for anything else.
    public init?(_ typed: String) {
      switch typed.trimmingCharacters(in: .whitespaces).lowercased() {
      case "": self = .run
      case "c", "continue": self = .runRest
      case "q", "quit": self = .quit
      default: return nil
      }
    }
  }

  public static let prompt = "  [Enter] run · c run the rest · q quit › "
  static let reminder = "  (press Enter to run the command, c to run the rest of the script without stopping, q to quit)"

  private let output: ShellOutput
  private let endOfInput: Answer
  private let ask: (String) -> String?
  private var stopping = true
  private var narrated: Set<String> = []
  private var scripts: [String: String] = [:]

  /// `endOfInput`: what to do when `ask` finds no more input (quit on a terminal; run the rest
  /// when the answers come from a pipe that ran dry).
  public init(output: ShellOutput, endOfInput: Answer, ask: @escaping (String) -> String?) {
    self.output = output
    self.endOfInput = endOfInput
    self.ask = ask
  }

  /// Makes `interpreter` stop before each command (the interpreter keeps this object).
  public func install(on interpreter: Interpreter) {
    interpreter.beforeCommand = { [weak interpreter] node in
      guard let interpreter else { return true }
      return self.before(node, file: interpreter.currentFile, variables: interpreter.workspace.variables)
    }
  }

  /// Shows `node` (from `file`, the script being run, nil for `-c` text) and waits for the
  /// answer; false means quit.
  func before(_ node: CommandNode, file: String?, variables: [String: String]) -> Bool {
    if stopping, let file {
      let place = "\(file):\(node.location.line)"
      if narrated.insert(place).inserted, let text = script(file) {
        let narration = Narration.above(line: node.location.line, in: text)
        if !narration.isEmpty { output.text("\n" + narration.joined(separator: "\n")) }
      }
    }
    output.text(InputBuffer.prompt + node.text + Self.values(of: node, variables))
    guard stopping else { return true }
    while true {
      guard let typed = ask(Self.prompt) else { return follow(endOfInput) }
      guard let answer = Answer(typed) else {
        output.text(Self.reminder)
        continue
      }
      return follow(answer)
    }
  }

  /// Whether to run the command, given the answer.
  private func follow(_ answer: Answer) -> Bool {
    switch answer {
    case .run: return true
    case .runRest:
      stopping = false
      return true
    case .quit: return false
    }
  }

  /// `  (cv=1.5)` for a command that uses variables, so each pass of a loop shows its values.
  static func values(of node: CommandNode, _ variables: [String: String]) -> String {
    var names: [String] = []
    for word in node.words {
      for case .variable(let name, _) in word.parts where !names.contains(name) { names.append(name) }
    }
    let shown = names.compactMap { name in variables[name].map { "\(name)=\($0)" } }
    return shown.isEmpty ? "" : "    (" + shown.joined(separator: " ") + ")"
  }

  private func script(_ path: String) -> String? {
    if let text = scripts[path] { return text }
    let text = try? String(contentsOfFile: path, encoding: .utf8)
    scripts[path] = text
    return text
  }
}
