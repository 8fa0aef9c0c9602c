import Foundation

/// Where the interpreter writes. The terminal front end draws a live status line; scripts and
/// tests get plain lines.
public protocol ShellOutput: AnyObject {
  /// Human-readable output: one or more lines (stdout).
  func text(_ s: String)
  /// A remark beside the output — a default the user did not choose, a warning (stderr).
  func note(_ s: String)
  /// An error message (stderr).
  func error(_ s: String)
  /// One JSON object on a line of its own (stdout).
  func json(_ line: String)
  /// A live status line, redrawn in place on a terminal; nil clears it. Plain outputs ignore it.
  func status(_ s: String?)
  /// Whether output goes to a terminal (live progress) or to a file or pipe (one line per epoch).
  var isTerminal: Bool { get }
  /// Terminal width in characters (80 when unknown).
  var columns: Int { get }
}

/// stdout/stderr. On a terminal the status line is drawn with a carriage return and cleared
/// before any other output.
public final class StandardOutput: ShellOutput {
  public let isTerminal: Bool
  private var statusShown = false

  public init(isTerminal: Bool = isatty(STDOUT_FILENO) == 1 && isatty(STDERR_FILENO) == 1) {
    self.isTerminal = isTerminal
  }

  public var columns: Int {
    var size = winsize()
    if isTerminal, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
      return Int(size.ws_col)
    }
    return 80
  }

  private func write(_ s: String, to fd: Int32) {
    clearStatus()
    var line = s
    if !line.hasSuffix("\n") { line += "\n" }
    FileHandle(fileDescriptor: fd).write(Data(line.utf8))
  }

  private func clearStatus() {
    guard statusShown else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    statusShown = false
  }

  public func text(_ s: String) { write(s, to: STDOUT_FILENO) }
  public func note(_ s: String) { write(s, to: STDERR_FILENO) }
  public func error(_ s: String) { write(s, to: STDERR_FILENO) }
  public func json(_ line: String) { write(line, to: STDOUT_FILENO) }

  public func status(_ s: String?) {
    guard isTerminal else { return }
    guard let s else { return clearStatus() }
    let cut = String(s.prefix(max(10, columns - 1)))
    FileHandle.standardError.write(Data("\r\u{1B}[K\(cut)".utf8))
    statusShown = true
  }
}

/// Collects everything written, for tests and for embedding psn.
public final class CapturedOutput: ShellOutput {
  public private(set) var lines: [String] = []
  public private(set) var notes: [String] = []
  public private(set) var errors: [String] = []
  public private(set) var jsonLines: [String] = []
  public private(set) var statuses: [String] = []
  public var isTerminal: Bool
  public var columns: Int

  public init(isTerminal: Bool = false, columns: Int = 100) {
    self.isTerminal = isTerminal
    self.columns = columns
  }

  public func text(_ s: String) { lines += s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
  public func note(_ s: String) { notes.append(s) }
  public func error(_ s: String) { errors.append(s) }
  public func json(_ line: String) { jsonLines.append(line) }
  public func status(_ s: String?) { if let s { statuses.append(s) } }

  /// All human output so far as one string.
  public var transcript: String { lines.joined(separator: "\n") }
}
