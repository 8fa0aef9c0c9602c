import Foundation
import PSNCore

/// One progress display across a whole sweep: cells done of total and the time left.
///
/// On a terminal it is the start of the live status line, before the training progress of the
/// cell running now (`Interpreter.statusPrefix`); everywhere, one line per finished cell.
/// ETA = mean seconds per finished cell × cells left − seconds spent in the current cell; it is
/// unknown ("–") until the first cell has finished.
final class SweepProgress {
  let ctx: CommandContext
  let name: String
  private(set) var total: Int
  private var done = 0
  private let started = ContinuousClock.now
  private var cellStarted = ContinuousClock.now
  private var cellSeconds: [Double] = []

  init(_ ctx: CommandContext, name: String, total: Int) {
    self.ctx = ctx
    self.name = name
    self.total = total
  }

  /// More cells to run (skipped cells found to be incomplete).
  func add(_ count: Int) { total += count }

  /// Seconds left, or nil before the first cell has finished.
  var secondsLeft: Double? {
    guard !cellSeconds.isEmpty else { return nil }
    let mean = cellSeconds.reduce(0, +) / Double(cellSeconds.count)
    return max(0, mean * Double(total - done) - (ContinuousClock.now - cellStarted).seconds)
  }

  /// `sweep NAME 3/8 ETA 2m10s │ `: what the status line starts with while a cell runs.
  func status() -> String {
    "sweep \(name) \(min(done + 1, total))/\(total) ETA \(secondsLeft.map(Format.duration) ?? "–") │ "
  }

  func startCell(_ cell: SweepCell) {
    cellStarted = .now
    guard ctx.output.isTerminal, !ctx.jsonOutput else { return }
    ctx.output.status(status() + cell.key)
  }

  /// `[3/8] profile=lognormal seed=2: lognormal-s2 test 88.12% · 4.1s · ETA 20s`.
  func finishCell(_ cell: SweepCell, runs: [ResultsSession.StoredRun]) {
    let seconds = (ContinuousClock.now - cellStarted).seconds
    cellSeconds.append(seconds)
    done += 1
    ctx.output.status(nil)
    let outcome = runs.isEmpty
      ? "no run finished"
      : runs.map { "\($0.name) test \(Format.percent($0.testAccuracy))" }.joined(separator: ", ")
    let eta = done < total ? " · ETA \(secondsLeft.map(Format.duration) ?? "–")" : ""
    ctx.print("[\(done)/\(total)] \(cell.key): \(outcome) · \(Format.duration(seconds))\(eta)")
  }

  /// `, 1m02s` (the sweep's wall time so far).
  var elapsedSuffix: String { ", \(Format.duration((ContinuousClock.now - started).seconds))" }
}
