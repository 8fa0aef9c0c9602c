import Foundation
import GRDB
import Testing
@testable import PSNCore

@Suite struct ResultsMergeTests {
  /// 2 densities × 2 learning rates × 3 seeds = 12 tiny real trainings per execution.
  static let grid = try! SweepGrid(
    axes: [SweepGrid.Axis("density", ["0.25", "0.5"]), SweepGrid.Axis("lr", ["0.01", "0.003"])], seeds: [1, 2, 3])

  /// Trains each cell and stores its run, as `psn sweep` does.
  func runSweep(_ cells: [SweepCell], into db: ResultsDatabase) throws {
    for cell in cells {
      var tags = cell.tags
      tags["sweep"] = "grid"
      let (run, model) = try ResultsFixtures.trainedRun(
        seed: cell.seed, density: Double(tags["density"]!)!, learningRate: Double(tags["lr"]!)!,
        epochs: 2, tags: tags)
      try db.insert(RunRecord(run: run, model: model))
    }
  }

  func expectSameTable(_ a: ResultsTable, _ b: ResultsTable, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.keys == b.keys && a.metric == b.metric, sourceLocation: sourceLocation)
    #expect(a.cells.map(\.key) == b.cells.map(\.key), sourceLocation: sourceLocation)
    #expect(a.cells.map(\.sample.seeds) == b.cells.map(\.sample.seeds), sourceLocation: sourceLocation)
    #expect(a.cells.map(\.sample.values) == b.cells.map(\.sample.values), sourceLocation: sourceLocation)
    #expect(a.cells.map(\.sample.mean) == b.cells.map(\.sample.mean), sourceLocation: sourceLocation)
    #expect(a.cells.map(\.sample.standardDeviation) == b.cells.map(\.sample.standardDeviation), sourceLocation: sourceLocation)
    #expect(a.cells.map(\.sample.confidenceInterval) == b.cells.map(\.sample.confidenceInterval), sourceLocation: sourceLocation)
  }

  @Test func mergingTwoShardsGivesTheTableOfTheUnshardedSweep() throws {
    try withTemporaryDirectory { (dir) throws in
      let whole = try ResultsDatabase(path: dir.appendingPathComponent("whole.sqlite").path)
      try runSweep(Self.grid.cells, into: whole)
      var shards: [String] = []
      for i in 1...2 {
        let path = dir.appendingPathComponent("shard\(i).sqlite").path
        try runSweep(try SweepShard(index: i, count: 2).cells(of: Self.grid.cells), into: ResultsDatabase(path: path))
        shards.append(path)
      }
      let merged = try ResultsDatabase(path: dir.appendingPathComponent("merged.sqlite").path)
      let report = try merged.merge(from: shards)
      #expect(report.sources.map(\.added) == [6, 6] && report.duplicates == 0)

      let metric = try RunMetric(parsing: "gradient_concentration@1")
      for m in [RunMetric.testAccuracy, metric] {
        let expected = try ResultsTable(runs: whole.runs(details: m.details), groupBy: ["density", "lr"], metric: m)
        let got = try ResultsTable(runs: merged.runs(details: m.details), groupBy: ["density", "lr"], metric: m)
        #expect(got.cells.count == 4 && got.cells.allSatisfy { $0.sample.n == 3 })
        expectSameTable(got, expected)
      }
      // Merged rows are the shards' rows, every table and column.
      let fromShards = try shards.flatMap { try ResultsDatabase(path: $0).runs(details: .all) }
      #expect(try merged.runs(details: .all).sorted { $0.uuid.uuidString < $1.uuid.uuidString } == fromShards.sorted { $0.uuid.uuidString < $1.uuid.uuidString })

      // Merging again adds nothing.
      let again = try merged.merge(from: shards + [shards[0]])
      #expect(again.added == 0 && again.duplicates == 18)
      #expect(try merged.runCount() == 12)
      #expect(try merged.integrityCheck().isOK)
    }
  }

  @Test func aSourceOfAnotherSchemaIsRefusedBeforeAnythingIsMerged() throws {
    try withTemporaryDirectory { (dir) throws in
      let good = dir.appendingPathComponent("good.sqlite").path
      let newer = dir.appendingPathComponent("newer.sqlite").path
      try ResultsDatabase(path: good).insert(ResultsFixtures.fullRecord())
      let n = try ResultsDatabase(path: newer)
      try n.insert(ResultsFixtures.fullRecord())
      try n.write("") { try $0.execute(sql: "UPDATE meta SET value = '2' WHERE key = 'schema_version'") }
      let target = try ResultsDatabase(path: dir.appendingPathComponent("target.sqlite").path)
      #expect(throws: ResultsError.schemaMismatch(path: newer, found: "2", expected: 1)) {
        try target.merge(from: [good, newer])
      }
      #expect(try target.runCount() == 0)
    }
  }

  @Test func aDamagedSourceIsRefused() throws {
    try withTemporaryDirectory { (dir) throws in
      let source = dir.appendingPathComponent("damaged.sqlite").path
      let db = try ResultsDatabase(path: source)
      for _ in 0..<20 { try db.insert(ResultsCrashTests.heavyRecord()) }
      // Overwrite the middle of the file (b-tree pages of the child tables) with noise.
      let handle = try FileHandle(forUpdating: URL(fileURLWithPath: source))
      let size = try handle.seekToEnd()
      try handle.seek(toOffset: size / 2)
      handle.write(Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }))
      try handle.close()
      let target = try ResultsDatabase(path: dir.appendingPathComponent("target.sqlite").path)
      // SQLite may fail to read the damaged pages or list what it found wrong: damaged either way.
      let error = #expect(throws: ResultsError.self) { try target.merge(from: [source]) }
      guard case .damaged(let path, _) = error else {
        Issue.record("expected .damaged, got \(String(describing: error))")
        return
      }
      #expect(path == source)
      #expect(try target.runCount() == 0)
    }
  }

  @Test func missingForeignAndSelfSourcesAreRefused() throws {
    try withTemporaryDirectory { (dir) throws in
      let target = try ResultsDatabase(path: dir.appendingPathComponent("target.sqlite").path)
      let missing = dir.appendingPathComponent("missing.sqlite").path
      #expect(throws: ResultsError.notFound(path: missing)) { try target.merge(from: [missing]) }
      #expect(!FileManager.default.fileExists(atPath: missing))  // ATTACH would have created it
      let foreign = dir.appendingPathComponent("foreign.sqlite").path
      try DatabaseQueue(path: foreign).write { try $0.execute(sql: "CREATE TABLE t(x)") }
      #expect(throws: ResultsError.notAResultsDatabase(path: foreign)) { try target.merge(from: [foreign]) }
      let empty = dir.appendingPathComponent("empty.sqlite").path
      try Data().write(to: URL(fileURLWithPath: empty))
      #expect(throws: ResultsError.notAResultsDatabase(path: empty)) { try target.merge(from: [empty]) }
      let garbage = dir.appendingPathComponent("garbage.sqlite").path
      try Data(repeating: 7, count: 2048).write(to: URL(fileURLWithPath: garbage))
      #expect(throws: ResultsError.cannotOpen(path: garbage, reason: "file is not a database")) {
        try target.merge(from: [garbage])
      }
      let link = dir.appendingPathComponent("link.sqlite").path
      try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target.path)
      #expect(throws: ResultsError.mergeIntoItself(path: link)) { try target.merge(from: [link]) }
      #expect(try target.integrityCheck().isOK)
    }
  }
}
