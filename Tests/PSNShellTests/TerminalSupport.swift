import Foundation
import Testing

/// Helpers for the end-to-end tests that run the `psn` executable: finding it, running it with
/// piped input, and driving it on a real terminal through tmux.
enum PSNExecutable {
  /// The package's root directory (examples/ and docs/ live there).
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// `$PSN_BINARY`, else the `psn` that `swift test` built beside the test bundle (the same
  /// configuration and scratch path, e.g. .build-test/release/psn for scripts/test).
  static var path: String? {
    if let given = ProcessInfo.processInfo.environment["PSN_BINARY"] { return given }
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    if let bundle = Bundle.main.executableURL { directory = bundle.deletingLastPathComponent() }
    for candidate in [directory, directory.deletingLastPathComponent()] {
      let psn = candidate.appendingPathComponent("psn").path
      if FileManager.default.isExecutableFile(atPath: psn) { return psn }
    }
    return nil
  }

  /// The path, or a recorded issue saying where it was looked for.
  static func require() -> String? {
    guard let path else {
      Issue.record("the psn executable was not found beside the test bundle (\(CommandLine.arguments[0])); swift test builds it, or set PSN_BINARY")
      return nil
    }
    return path
  }

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs psn with `arguments`, `input` as standard input (a pipe: not a terminal), in the
  /// package root.
  static func run(_ arguments: [String], input: String = "", environment: [String: String] = [:]) throws -> Result? {
    guard let path = require() else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.currentDirectoryURL = packageRoot
    process.environment = ProcessInfo.processInfo.environment.merging(["PSN_THREADS": "1"].merging(environment) { $1 }) { $1 }
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    // Read both pipes to the end before waiting, so a full pipe never blocks psn.
    nonisolated(unsafe) var errorData = Data()
    let reader = Thread { errorData = stderr.fileHandleForReading.readDataToEndOfFile() }
    reader.start()
    let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !reader.isFinished { usleep(1000) }
    return Result(status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self), stderr: String(decoding: errorData, as: UTF8.self))
  }
}

/// A program on a real terminal: a tmux session on a private server (its own socket), driven
/// with send-keys and read with capture-pane. Waits poll the screen with generous timeouts, so
/// a loaded machine makes the test slower, not flaky.
///
/// The program runs under a small shell that prints `[exit status N]` when it ends and then
/// keeps the pane open: tmux itself was seen (about one exit in five) to mark a pane dead
/// without ever reaping its process or recording the status, and to drop the last output of a
/// pane that closes at once.
final class TmuxSession {
  static let executable: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/tmux" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }()

  static var isAvailable: Bool { executable != nil }

  private let socket = "psn-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
  private var started = false
  /// The server's socket file, removed at the end (kill-server leaves it behind).
  private var socketPath = ""

  /// Starts `program` with `arguments` and `environment` (added to the inherited one) in a
  /// 200×50 terminal in `directory`.
  init(
    _ program: String, _ arguments: [String] = [], environment: [String: String] = [:],
    in directory: URL = PSNExecutable.packageRoot
  ) throws {
    let words = ["env"] + environment.keys.sorted().map { "\($0)=\(environment[$0]!)" } + [program] + arguments
    // `trap : INT` keeps the wrapper alive through Ctrl-C (the program gets it too: both are
    // in the terminal's foreground process group); its child starts with SIGINT at default.
    let command = "trap : INT; " + words.map(shellQuoted).joined(separator: " ") + #"; echo "[exit status $?]"; exec sleep 100000"#
    // The server lives on with every descriptor it inherits; through bash (dash cannot name
    // descriptors above 9) it closes all but the standard ones first, so it holds no pipe of
    // another test's process open.
    let closeInherited = #"for fd in /proc/self/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done; exec "$0" "$@""#
    let launch = try Spawn.run(
      "/bin/bash",
      [
        "-c", closeInherited, Self.executable!, "-L", socket, "-f", "/dev/null",
        "start-server", ";", "set-option", "-g", "history-limit", "100000", ";",
        "new-session", "-d", "-s", "psn", "-x", "200", "-y", "50", "-c", directory.path, command,
      ],
      capture: false)
    guard launch.status == 0 else { throw Spawn.Failure(description: "tmux new-session failed with status \(launch.status)") }
    started = true
    socketPath = try tmux(["display-message", "-p", "#{socket_path}"]).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  deinit {
    guard started else { return }
    _ = try? tmux(["kill-server"])
    if socketPath.hasSuffix(socket) { unlink(socketPath) }
  }

  /// Runs a tmux command against this session's server; its output when `capture`.
  @discardableResult
  private func tmux(_ arguments: [String], capture: Bool = true) throws -> String {
    try Spawn.run(Self.executable!, ["-L", socket] + arguments, capture: capture).output
  }

  /// Types `keys`: tmux key names (`Tab`, `Enter`, `C-c`, `Up`) or literal text.
  func send(_ keys: String...) throws {
    try tmux(["send-keys", "-t", "psn"] + keys)
  }

  /// Types `text` literally (no key names).
  func type(_ text: String) throws {
    try tmux(["send-keys", "-t", "psn", "-l", text])
  }

  /// Types `line` and Enter.
  func enter(_ line: String) throws {
    try type(line)
    try send("Enter")
  }

  /// Everything on the terminal so far, scrollback included, wrapped lines joined.
  func screen() throws -> String {
    try tmux(["capture-pane", "-p", "-J", "-S", "-", "-t", "psn"])
  }

  /// The screen's lines with trailing blanks removed.
  func lines() throws -> [String] {
    let lines = try screen().split(separator: "\n", omittingEmptySubsequences: false).map {
      String($0.reversed().drop(while: { $0 == " " }).reversed())
    }
    return Array(lines.reversed().drop(while: \.isEmpty).reversed())
  }

  /// The program's exit status once it has exited, from the wrapper's `[exit status N]` line.
  func exitStatus() throws -> Int32? {
    for line in try lines().reversed() where line.hasPrefix("[exit status ") && line.hasSuffix("]") {
      return Int32(line.dropFirst("[exit status ".count).dropLast())
    }
    return nil
  }

  struct TimedOut: Error, CustomStringConvertible {
    var description: String
  }

  /// Polls the screen until `condition` holds, for up to `timeout` seconds; throws with the
  /// last screen when it never does (the rest of the test would only wait in vain).
  @discardableResult
  func wait(
    for what: String, timeout: Double = 120, sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: ([String]) -> Bool
  ) throws -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    var last: [String] = []
    while Date() < deadline {
      last = try lines()
      if condition(last) { return true }
      usleep(100_000)
    }
    throw TimedOut(description: "timed out after \(Int(timeout)) s waiting for \(what) (\(sourceLocation)); the terminal showed:\n\(last.suffix(30).joined(separator: "\n"))")
  }

  /// Waits until some line contains `text`.
  @discardableResult
  func wait(forText text: String, timeout: Double = 120, sourceLocation: SourceLocation = #_sourceLocation) throws -> Bool {
    try wait(for: "'\(text)'", timeout: timeout, sourceLocation: sourceLocation) { $0.contains { $0.contains(text) } }
  }

  /// Types `text` (nothing when empty), presses Tab, and waits until the last line is `line`.
  func complete(_ text: String, into line: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    if !text.isEmpty { try type(text) }
    try send("Tab")
    try wait(forLastLine: line, sourceLocation: sourceLocation)
  }

  /// Waits until the last line is exactly `line` (the prompt and what is typed after it).
  @discardableResult
  func wait(forLastLine line: String, timeout: Double = 120, sourceLocation: SourceLocation = #_sourceLocation) throws -> Bool {
    try wait(for: "the last line to be '\(line)'", timeout: timeout, sourceLocation: sourceLocation) { $0.last == line }
  }

  /// Waits for the program to exit and returns its status.
  func waitForExit(timeout: Double = 120, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int32? {
    var status: Int32?
    try wait(for: "psn to exit", timeout: timeout, sourceLocation: sourceLocation) { _ in
      status = try? exitStatus()
      return status != nil
    }
    return status
  }
}

/// Starting a program with posix_spawn and waiting for it with waitpid.
///
/// Not Foundation's Process, for two reasons found here: (1) the child starts with the signal
/// mask of the spawning thread, and a test's worker thread blocks SIGINT, so psn on the terminal
/// would never see Ctrl-C; here the mask is emptied and every signal reset to its default;
/// (2) Process learns of an exit through a descriptor the child inherits, which a daemon (the
/// tmux server) keeps open forever, so waiting never ends; waitpid waits for the child itself.
enum Spawn {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// Runs `path` with `arguments` (stdin and stderr /dev/null); returns its exit status and
  /// its stdout when `capture` (else stdout goes to /dev/null).
  @discardableResult
  static func run(_ path: String, _ arguments: [String], capture: Bool) throws -> (status: Int32, output: String) {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    var pipe: [Int32] = [-1, -1]
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    if capture {
      // Close-on-exec, so other children started meanwhile do not keep it open (dup2 clears
      // the flag on the child's stdout).
      guard Glibc.pipe(&pipe) == 0 else { throw Failure(description: "pipe failed: errno \(errno)") }
      for fd in pipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
      posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
    } else {
      posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    }
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    let environment: [UnsafeMutablePointer<CChar>?] =
      ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { environment.forEach { free($0) } }
    var pid = pid_t()
    let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, environment)
    var output = Data()
    if capture {
      close(pipe[1])
      var buffer = [UInt8](repeating: 0, count: 65536)
      while true {
        let n = read(pipe[0], &buffer, buffer.count)
        if n > 0 {
          output.append(contentsOf: buffer[0..<n])
        } else if n == 0 || errno != EINTR {
          break
        }
      }
      close(pipe[0])
    }
    guard spawned == 0 else { throw Failure(description: "cannot start \(path): errno \(spawned)") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let exited = status & 0x7f == 0  // WIFEXITED; WEXITSTATUS below
    return (exited ? (status >> 8) & 0xff : -1, String(decoding: output, as: UTF8.self))
  }
}

/// A fresh temporary directory, removed by `remove()`.
struct TemporaryDirectory {
  let url: URL

  init(_ label: String) throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("psn-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A string in single quotes for `sh` (tmux runs the session's command through the shell).
func shellQuoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
