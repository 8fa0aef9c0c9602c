import Foundation
import PSNCore

/// Runs psn source: expands words, resolves each command against the registry, runs its handler
/// with the workspace, and reports errors with their place.
///
/// Every command is a transaction: the workspace is copied before it runs and restored if it
/// fails. A script stops at its first error; the REPL reports it and goes on.
public final class Interpreter {
  public var workspace = Workspace()
  public let registry: CommandRegistry
  public let output: ShellOutput
  /// `psn --json`: every command prints its result as one JSON object per line, and nothing else
  /// on stdout.
  public var jsonMode = false
  /// Polled at batch boundaries and between loop iterations: true when the user pressed Ctrl-C.
  /// The front end resets its flag when it returns true.
  public var interruptRequested: () -> Bool = { false }
  /// Called before each command runs (step-through mode); returning false stops the script.
  public var beforeCommand: ((CommandNode) -> Bool)?
  /// Settings that tests and benchmarks change: kernel threads, the results database.
  public var environment: [String: String] = ProcessInfo.processInfo.environment
  /// Tags every new run gets besides its seed (a sweep sets its cell's keys here).
  public var runTags: [String: String] = [:]
  /// Called with every run that finishes its planned epochs (the results database listens).
  public var runFinishedHandlers: [(TrainingRun, MLP) throws -> Void] = []
  /// The results database every finished run is stored in (docs/experiments.md).
  public let results = ResultsSession()
  /// Text put before every live status line, e.g. a sweep's cells done and ETA.
  public var statusPrefix: (() -> String)?
  /// Files being run, innermost last (relative paths in `run` resolve against the last one;
  /// a file already in the stack is not run again).
  private(set) var fileStack: [String] = []

  /// The absolute path of the script being run (innermost), nil for `-c` text and the REPL.
  public var currentFile: String? { fileStack.last }

  /// Set when a command stopped early on Ctrl-C; unwinds loops and scripts (not an error: the
  /// workspace keeps what the command finished).
  public private(set) var wasInterrupted = false

  public init(registry: CommandRegistry = .standard, output: ShellOutput) {
    self.registry = registry
    self.output = output
    runFinishedHandlers = [{ [unowned self] run, model in try results.store(run, model: model, from: self) }]
  }

  /// What stopped a script.
  public enum Stop: Error {
    case failed(ShellError)
    case interrupted
    /// `q` in step-through mode.
    case quit
  }

  /// Parses and runs `text`; `source` names it in error locations (a path, `-c`, `stdin`).
  public func run(_ text: String, source: String) throws(Stop) {
    wasInterrupted = false
    let statements: [Statement]
    do {
      statements = try Parser.parse(text, source: source)
    } catch {
      throw .failed(ShellError(error, at: nil))
    }
    try execute(statements)
  }

  /// Runs the file at `path` (relative to the including file, if any).
  public func runFile(_ path: String, at location: SourceLocation? = nil) throws(Stop) {
    let resolved = resolvePath(path)
    if fileStack.contains(resolved) {
      throw .failed(ShellError("run \(path): \(resolved) is already running (a script cannot run itself, directly or through others)", at: location))
    }
    let text: String
    do {
      text = try String(contentsOfFile: resolved, encoding: .utf8)
    } catch {
      let why = FileManager.default.fileExists(atPath: resolved) ? "cannot be read as UTF-8 text" : "no such file"
      throw .failed(ShellError("cannot run \(path): \(why) (\(resolved))", at: location))
    }
    fileStack.append(resolved)
    defer { fileStack.removeLast() }
    try run(text, source: path)
  }

  /// A path as given, made absolute against the directory of the file being run (or the
  /// working directory).
  public func resolvePath(_ path: String) -> String {
    let expanded = (path as NSString).expandingTildeInPath
    if expanded.hasPrefix("/") { return (expanded as NSString).standardizingPath }
    let base = fileStack.last.map { ($0 as NSString).deletingLastPathComponent } ?? FileManager.default.currentDirectoryPath
    return ((base as NSString).appendingPathComponent(expanded) as NSString).standardizingPath
  }

  public func execute(_ statements: [Statement]) throws(Stop) {
    for statement in statements {
      if wasInterrupted { throw .interrupted }
      switch statement {
      case .command(let node):
        try execute(node)
      case .forLoop(let loop):
        try execute(loop)
      }
    }
  }

  private var expansion: Expansion { Expansion(variables: workspace.variables) }

  private func execute(_ loop: ForNode) throws(Stop) {
    var values: [String] = []
    do {
      for item in loop.items { values += try expansion.expandList(item) }
    } catch {
      throw .failed(error)
    }
    let saved = workspace.variables[loop.variable]
    defer { workspace.variables[loop.variable] = saved }
    for value in values {
      if interruptRequested() { wasInterrupted = true }
      if wasInterrupted { throw .interrupted }
      workspace.variables[loop.variable] = value
      try execute(loop.body)
    }
  }

  private func execute(_ node: CommandNode) throws(Stop) {
    let invocation: Invocation
    do {
      let expansion = self.expansion
      var arguments: [Invocation.Argument] = []
      for word in node.words {
        arguments.append(Invocation.Argument(
          key: word.key, value: try expansion.expand(word.valueParts), location: word.location))
      }
      invocation = try registry.resolve(arguments, block: node.block, location: node.location, text: node.text)
    } catch {
      throw .failed(error)
    }
    if let beforeCommand, !beforeCommand(node) { throw .quit }
    // Ctrl-C during a command that cannot stop midway (loading data) stops what follows it.
    if interruptRequested() {
      wasInterrupted = true
      throw .interrupted
    }
    guard let handler = invocation.spec.handler else {
      throw .failed(ShellError("\(invocation.commandName) is not available in this build", at: node.location))
    }
    let saved = workspace
    let context = CommandContext(interpreter: self, invocation: invocation)
    do {
      let result = try handler(context)
      if let result, jsonMode || invocation.wantsJSON {
        output.json(result.serialized())
      }
    } catch let stop as Stop {
      throw stop
    } catch {
      if invocation.spec.transactional { workspace = saved }
      output.status(nil)
      throw .failed(ShellError(error, at: node.location))
    }
    if wasInterrupted { throw .interrupted }
  }

  /// Hands a finished run to every listener.
  func recordFinishedRun(_ run: TrainingRun, model: MLP) throws {
    for handler in runFinishedHandlers { try handler(run, model) }
  }

  /// Marks the current command as stopped by Ctrl-C (after it has left the workspace
  /// consistent); the enclosing loops and scripts stop.
  public func noteInterrupted() { wasInterrupted = true }

  /// Clears the interrupted mark (the REPL does so before each line).
  public func resetInterrupt() { wasInterrupted = false }
}

/// What a command handler works with.
public struct CommandContext {
  public let interpreter: Interpreter
  public let invocation: Invocation

  public var workspace: Workspace {
    get { interpreter.workspace }
    nonmutating set { interpreter.workspace = newValue }
  }

  /// Whether this command's result goes out as JSON instead of human text.
  public var jsonOutput: Bool { interpreter.jsonMode || invocation.wantsJSON }

  /// Human-readable output (suppressed when the command's result is printed as JSON).
  public func print(_ s: String) {
    if !jsonOutput { interpreter.output.text(s) }
  }

  /// A remark: a default the user did not choose, something to know (stderr; suppressed in JSON
  /// mode).
  public func note(_ s: String) {
    if !jsonOutput { interpreter.output.note(s) }
  }

  public var output: ShellOutput { interpreter.output }

  /// The seed to use: `seed=` if given, else the variable `seed` (set by `set seed=N` and by
  /// `repeat`), else 1.
  public func seed(_ key: String = "seed") throws(ShellError) -> UInt64 {
    if let given = invocation.settings[key] {
      guard let v = UInt64(given.value) else {
        throw ShellError("\(key)=\(given.value) is not a seed (a whole number ≥ 0)", at: given.location)
      }
      return v
    }
    if let variable = workspace.variables["seed"] {
      guard let v = UInt64(variable) else {
        throw ShellError("the variable seed=\(variable) is not a seed (a whole number ≥ 0)", at: invocation.location)
      }
      return v
    }
    return 1
  }
}
