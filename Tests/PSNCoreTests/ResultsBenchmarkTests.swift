import Foundation
import Testing
@testable import PSNCore

/// Timings of the results database at sweep scale, printed when `PSN_RESULTS_BENCH` is set
/// (a measurement, never a pass/fail threshold):
///   PSN_RESULTS_BENCH=1 swift test -c release --scratch-path .build-test \
///     -Xswiftc -DPSN_INTERNAL_CHECKS --filter ResultsBenchmark
@Suite struct ResultsBenchmarkTests {
  /// A LeNet-300-100 RigL run as a 30-epoch Fashion-MNIST run stores it: 30 epochs, 3 layers,
  /// 106 updates × 2 sparse layers.
  static func realisticRecord(_ i: Int) -> RunRecord {
    var r = ResultsCrashTests.heavyRecord()
    r.epochs = (1...30).map { RunRecord.Epoch(epoch: $0, metrics: r.final, learningRate: 1e-3, seconds: 1, samplesPerSecond: 1) }
    r.maskUpdates = (0..<106).flatMap { u in
      (1...2).map { l in
        var update = r.maskUpdates[0]
        (update.update, update.layer) = (u, l)
        return update
      }
    }
    r.tags = ["cv": String(i % 4), "profile": i % 2 == 0 ? "lognormal" : "random", "seed": String(i % 5), "sweep": "bench"]
    return r
  }

  @Test func sweepScale() throws {
    guard ProcessInfo.processInfo.environment["PSN_RESULTS_BENCH"] != nil else { return }
    let clock = ContinuousClock()
    try withTemporaryDirectory { (dir) throws in
      var shards: [String] = []
      for shard in 0..<2 {
        let db = try ResultsDatabase(path: dir.appendingPathComponent("shard\(shard).sqlite").path)
        let records = (0..<500).map { Self.realisticRecord(shard * 500 + $0) }
        let t = try clock.measure { for r in records { try db.insert(r) } }
        print("insert: 500 runs in \(t), \(t / 500) per run (one transaction each, synchronous=FULL)")
        shards.append(db.path)
      }
      let merged = try ResultsDatabase(path: dir.appendingPathComponent("merged.sqlite").path)
      print("merge 2 × 500 runs: \(try clock.measure { try merged.merge(from: shards) })")
      var runs: [RunRecord] = []
      print("runs(where: \"cv >= 1\", details: .layers): \(try clock.measure { runs = try merged.runs(where: "cv >= 1", details: .layers) }) for \(runs.count) runs")
      print("runs(details: .all): \(try clock.measure { runs = try merged.runs(details: .all) }) for \(runs.count) runs")
      print("ResultsTable by profile, cv: \(try clock.measure { _ = try ResultsTable(runs: runs, groupBy: ["profile", "cv"]) })")
      print("csv: \(try clock.measure { _ = try merged.csv() }), json: \(try clock.measure { _ = try merged.json() })")
      print("integrityCheck: \(try clock.measure { _ = try merged.integrityCheck() })")
      let size = try FileManager.default.attributesOfItem(atPath: merged.path)[.size] as? Int ?? 0
      print("file: \(size / 1024) KiB for 1000 runs")
    }
  }
}
