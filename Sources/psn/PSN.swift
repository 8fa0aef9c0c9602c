import ArgumentParser
import Foundation
import PSNCore
import PSNShell

@main
struct PSN: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "psn",
    abstract: "Profiled Sparse Networks: train and study sparse MLPs with fan-in profiles.",
    discussion: "With no arguments on a terminal, psn starts its interactive shell; with files, it runs them as scripts; with -c, it runs a command line; piped standard input is read as a script. Inside psn, `help` lists the commands; docs/shell.md describes the interactive shell.",
    version: PSNVersion.current,
    subcommands: [SweepCommand.self, MergeCommand.self])

  /// `psn sweep ...` and `psn merge ...` are dispatched before the files are parsed (SweepCommand.swift).
  static func main() {
    if PSNSubcommands.dispatch(Array(CommandLine.arguments.dropFirst())) { return }
    main(nil)
  }

  @Flag(name: .long, help: "Print each command's result as one JSON object per line on stdout.")
  var json = false

  @Flag(
    name: .long,
    help: "Step through the scripts: show each command with the comment block above it, wait for Enter, run it (c runs the rest, q quits).")
  var step = false

  @Option(name: .customShort("c"), help: "Run a command line (commands separated by ';').")
  var command: String?

  @Argument(help: "Scripts to run, in order.")
  var files: [String] = []

  func validate() throws {
    if step && files.isEmpty {
      throw ValidationError("--step needs a script to step through: psn --step FILE.psn")
    }
  }

  func run() throws {
    Interrupts.install()
    let interpreter = Interpreter(output: StandardOutput())
    interpreter.jsonMode = json
    interpreter.interruptRequested = { Interrupts.consume() }
    let outcome = Result { () throws(Interpreter.Stop) in try runInputs(interpreter) }
    guard case .failure(let stop) = outcome else { return }
    switch stop {
    case .failed(let error):
      interpreter.output.error(error.description)
      throw ExitCode(1)
    case .interrupted:
      throw ExitCode(130)
    case .quit:
      return
    }
  }

  /// Runs what the command line asks for: `-c`, then the files, else the REPL or stdin.
  private func runInputs(_ interpreter: Interpreter) throws(Interpreter.Stop) {
    if let command {
      try interpreter.run(command, source: "-c")
    }
    // Step-through stops in the scripts, not in -c (which sets their knobs).
    if step { stepThrough(interpreter.output).install(on: interpreter) }
    for file in files {
      try interpreter.runFile(file)
    }
    guard command == nil && files.isEmpty else { return }
    if isatty(STDIN_FILENO) == 1 {
      let history = History.file(environment: ProcessInfo.processInfo.environment)
      REPL(interpreter: interpreter, historyFile: history).run()
    } else {
      var text = ""
      while let line = readLine(strippingNewline: false) { text += line }
      try interpreter.run(text, source: "stdin")
    }
  }

  /// Step-through answers come from standard input, a line each. On a terminal, Ctrl-D (or
  /// Ctrl-C) at the step prompt quits; from a pipe or file, running out of answers runs the rest
  /// of the script without stopping, so `psn --step FILE < /dev/null` shows every narration.
  private func stepThrough(_ output: ShellOutput) -> StepThrough {
    let terminal = isatty(STDIN_FILENO) == 1
    return StepThrough(output: output, endOfInput: terminal ? .quit : .runRest) { prompt in
      FileHandle.standardOutput.write(Data(prompt.utf8))
      let answer = readLine()
      // A terminal echoed the answer and its newline; an answer from a pipe was not shown.
      if !terminal { FileHandle.standardOutput.write(Data("\n".utf8)) }
      return answer
    }
  }
}
