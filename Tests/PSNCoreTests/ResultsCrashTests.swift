import Foundation
import GRDB
import Testing
@testable import PSNCore

#if canImport(Glibc)
  import Glibc
#endif

/// Crash safety: a child process storing runs in a loop is SIGKILLed — at a random moment, and
/// deterministically in the middle of a transaction — and the database must still pass
/// `PRAGMA integrity_check`, hold every run the child reported committed, and hold only
/// complete runs.
///
/// The child is this test binary itself, relaunched (`/proc/self/exe --testing-library
/// swift-testing --filter childStoresRunsUntilKilled`) with the database path in
/// `PSN_RESULTS_CRASH_CHILD`; without that variable the child test does nothing.
@Suite struct ResultsCrashTests {
  static let epochs = 60
  static let updates = 40

  /// A run with many child rows, so a transaction takes a while and a kill often lands in one.
  static func heavyRecord() -> RunRecord {
    var r = ResultsFixtures.fullRecord()
    r.epochs = (1...epochs).map { RunRecord.Epoch(epoch: $0, metrics: r.final, learningRate: 1e-3, seconds: 1, samplesPerSecond: 1) }
    r.layers = (1...3).map { l in
      var layer = r.layers[0]
      layer.layer = l
      return layer
    }
    r.maskUpdates = (0..<updates).map { u in
      var update = r.maskUpdates[0]
      update.update = u
      return update
    }
    return r
  }

  @Test func childStoresRunsUntilKilled() throws {
    let environment = ProcessInfo.processInfo.environment
    guard let path = environment["PSN_RESULTS_CRASH_CHILD"] else { return }
    let pauseAt = environment["PSN_RESULTS_CRASH_PAUSE"].flatMap(Int.init)
    let db = try ResultsDatabase(path: path)
    let deadline = Date().addingTimeInterval(120)  // never outlive a parent that died
    var i = 0
    while Date() < deadline {
      i += 1
      let record = Self.heavyRecord()
      let uuid = record.uuid.uuidString.lowercased()
      try db.insert(record, replacing: false) {
        guard i == pauseAt else { return }
        Self.say("PAUSED \(uuid)")
        sleep(120)  // inside the transaction, until the parent kills us
      }
      Self.say("COMMITTED \(uuid)")
    }
  }

  static func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
  }

  /// Starts the child on `path`; returns it and a reader of its output lines.
  func startChild(_ path: String, pauseAt: Int? = nil) throws -> (Process, LineReader) {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    child.arguments = ["--testing-library", "swift-testing", "--filter", "childStoresRunsUntilKilled"]
    var environment = ProcessInfo.processInfo.environment
    environment["PSN_RESULTS_CRASH_CHILD"] = path
    environment["PSN_RESULTS_CRASH_PAUSE"] = pauseAt.map(String.init)
    child.environment = environment
    let out = Pipe()
    child.standardOutput = out
    child.standardError = FileHandle.nullDevice
    try child.run()
    return (child, LineReader(out.fileHandleForReading))
  }

  func kill(_ child: Process) {
    _ = Glibc.kill(child.processIdentifier, SIGKILL)
    child.waitUntilExit()
  }

  @Test func aKilledWriterLeavesEveryCommittedRunAndNothingHalfWritten() throws {
    try withTemporaryDirectory { (dir) throws in
      let path = dir.appendingPathComponent("results.sqlite").path
      var committed: [String] = []
      // Killed at whatever point it has reached after a number of commits, three times over.
      for target in [5, 12, 20] {
        let (child, lines) = try startChild(path)
        var seen = 0
        while seen < target, let line = lines.next(timeout: 60) {
          if line.hasPrefix("COMMITTED ") {
            committed.append(String(line.dropFirst(10)))
            seen += 1
          }
        }
        kill(child)
        #expect(seen == target, "the child stopped reporting after \(seen) commits")
        #expect(child.terminationReason == .uncaughtSignal)
      }
      // Killed inside a transaction: the runs row is written, the child rows are not.
      let (child, lines) = try startChild(path, pauseAt: 3)
      var paused: String?
      while paused == nil, let line = lines.next(timeout: 60) {
        if line.hasPrefix("COMMITTED ") { committed.append(String(line.dropFirst(10))) }
        if line.hasPrefix("PAUSED ") { paused = String(line.dropFirst(7)) }
      }
      let journal = FileManager.default.fileExists(atPath: path + "-journal")
      kill(child)
      let killedMidTransaction = try #require(paused, "the child never reached the pause")
      #expect(journal, "a transaction in progress keeps a rollback journal beside the database")

      // sqlite3, an independent reader, rolls the hot journal back and finds a sound database.
      if ResultsFixtures.sqlite3 != nil {
        #expect(try ResultsFixtures.sqlite3(path, "PRAGMA integrity_check;") == "ok\n")
      }
      let db = try ResultsDatabase(path: path)
      #expect(try db.integrityCheck().isOK)
      let stored = Set(try db.runs().map { $0.uuid.uuidString.lowercased() })
      #expect(Set(committed).isSubset(of: stored), "a committed run was lost")
      #expect(!stored.contains(killedMidTransaction), "the run killed mid-transaction was kept")
      // At most one run per random kill committed without being reported.
      #expect(stored.count <= committed.count + 3)
      for run in try db.runs(details: .all) {
        #expect(run.epochs.count == Self.epochs && run.layers.count == 3 && run.maskUpdates.count == Self.updates)
        #expect(run.tags.count == 3)
      }
      // And the database takes new runs.
      try db.insert(Self.heavyRecord())
      #expect(try db.runCount() == stored.count + 1)
    }
  }
}

/// Lines of a child's output, read as they arrive.
final class LineReader {
  private let handle: FileHandle
  private var buffer = Data()
  private var finished = false

  init(_ handle: FileHandle) { self.handle = handle }

  /// The next line, or nil at end of output or after `timeout` seconds without one.
  func next(timeout: TimeInterval) -> String? {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
        let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
        buffer.removeSubrange(buffer.startIndex...newline)
        return line
      }
      if finished || Date() > deadline { return nil }
      var poll = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
      guard Glibc.poll(&poll, 1, 100) > 0 else { continue }
      let chunk = handle.availableData
      if chunk.isEmpty { finished = true } else { buffer.append(chunk) }
    }
  }
}
