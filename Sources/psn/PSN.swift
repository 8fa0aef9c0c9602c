import ArgumentParser
import Foundation
import PSNCore
import PSNShell
import Synchronization

/// Set by the SIGINT handler, polled by the interpreter at batch boundaries.
let interruptFlag = Atomic<Bool>(false)

@main
struct PSN: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "psn",
    abstract: "Profiled Sparse Networks: train and study sparse MLPs with fan-in profiles.",
    discussion: """
      With no arguments on a terminal, psn starts its interactive shell; with files, it runs them
      as scripts; with -c, it runs a command line; piped standard input is read as a script.
      Inside psn, `help` lists the commands.
      """,
    version: PSNVersion.current,
    subcommands: [SweepCommand.self, MergeCommand.self])

  /// `psn sweep ...` and `psn merge ...` are dispatched before the files are parsed (SweepCommand.swift).
  static func main() {
    if PSNSubcommands.dispatch(Array(CommandLine.arguments.dropFirst())) { return }
    main(nil)
  }

  @Flag(name: .long, help: "Print each command's result as one JSON object per line on stdout.")
  var json = false

  @Option(name: .customShort("c"), help: "Run a command line (commands separated by ';').")
  var command: String?

  @Argument(help: "Scripts to run, in order.")
  var files: [String] = []

  func run() throws {
    installInterruptHandler()
    let interpreter = Interpreter(output: StandardOutput())
    interpreter.jsonMode = json
    interpreter.interruptRequested = { interruptFlag.exchange(false, ordering: .relaxed) }
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
    for file in files {
      try interpreter.runFile(file)
    }
    guard command == nil && files.isEmpty else { return }
    if isatty(STDIN_FILENO) == 1 {
      REPL(interpreter: interpreter).run()
    } else {
      var text = ""
      while let line = readLine(strippingNewline: false) { text += line }
      try interpreter.run(text, source: "stdin")
    }
  }
}

/// SIGINT sets `interruptFlag` (without SA_RESTART, so a blocking read returns EINTR).
func installInterruptHandler() {
  _ = interruptFlag.load(ordering: .relaxed)
  var action = sigaction()
  action.__sigaction_handler.sa_handler = { _ in interruptFlag.store(true, ordering: .relaxed) }
  sigemptyset(&action.sa_mask)
  action.sa_flags = 0
  sigaction(SIGINT, &action, nil)
}
