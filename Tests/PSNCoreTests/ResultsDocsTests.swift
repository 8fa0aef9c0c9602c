import Foundation
import GRDB
import Testing
@testable import PSNCore

/// docs/results.md documents every column of every table and shows `sqlite3` queries with their
/// output. These tests check the column lists against the schema, and run every example query on
/// the example database below (through `sqlite3`, as the document shows), comparing the output.
/// On a mismatch the actual output is in the failure message: paste it into the document.
@Suite struct ResultsDocsTests {
  static let document = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("docs/results.md")

  /// The example of docs/results.md: a sweep `demo` of two static profiles × three seeds, plus
  /// one RigL run with three mask updates. Hand-made values, so the outputs are the same on
  /// every machine.
  static func exampleRecords() -> [RunRecord] {
    var records: [RunRecord] = []
    let accuracy = ["random": [0.8812, 0.8790, 0.8835], "lognormal": [0.8841, 0.8822, 0.8850]]
    let shape = ["random": (cv: 0.31, gini: 0.17, sigma: 0.3, concentration: 1.03), "lognormal": (cv: 1.5, gini: 0.62, sigma: 1.11, concentration: 2.41)]
    var n = 0
    for profile in ["random", "lognormal"] {
      for seed in 1...3 {
        n += 1
        let acc = accuracy[profile]![seed - 1]
        let s = shape[profile]!
        var config = TrainingConfig()
        config.seed = UInt64(seed)
        config.epochs = 3
        let final = RunRecord.Metrics(
          trainLoss: 0.30 + 0.01 * Double(seed), trainAccuracy: acc + 0.02, validationLoss: 0.33,
          validationAccuracy: acc - 0.001, testLoss: 0.35, testAccuracy: acc)
        let epochs: [RunRecord.Epoch] = (1...3).map { e in
          let step = Double(e)
          let metrics = RunRecord.Metrics(
            trainLoss: 0.6 / step, trainAccuracy: acc - 0.05 / step, testLoss: 0.7 / step,
            testAccuracy: acc - 0.03 / step + 0.01)
          return RunRecord.Epoch(epoch: e, metrics: metrics, learningRate: 3e-3 / step, seconds: 13.8, samplesPerSecond: 4520)
        }
        let concentration: Double = s.concentration + 0.01 * Double(seed)
        let first = RunRecord.Layer(
          layer: 1, nIn: 784, nOut: 300, isSparse: true, weights: 23_520, density: 0.1, fanInMean: 78.4,
          fanInStd: 78.4 * s.cv, fanInCV: s.cv, fanInGini: s.gini, fanInMin: 40, fanInMax: 400,
          lognormalMu: 4.1, lognormalSigma: s.sigma, hubFraction: 0.1, gradientMean: 0.012,
          gradientConcentration: concentration, fanInGradientR: 0.9)
        let second = RunRecord.Layer(
          layer: 2, nIn: 300, nOut: 100, isSparse: true, weights: 3000, density: 0.1, fanInMean: 30,
          fanInStd: 30 * s.cv, fanInCV: s.cv, fanInGini: s.gini, fanInMin: 10, fanInMax: 150,
          lognormalMu: 3.2, lognormalSigma: s.sigma, hubFraction: 0.1, gradientMean: 0.02,
          gradientConcentration: 1 + (s.concentration - 1) / 2, fanInGradientR: 0.7)
        let logits = RunRecord.Layer(
          layer: 3, nIn: 100, nOut: 10, isSparse: false, weights: 1000, density: 1, fanInMean: 100,
          fanInStd: 0, fanInCV: 0, fanInGini: 0, fanInMin: 100, fanInMax: 100, lognormalMu: 4.605170185988092,
          lognormalSigma: 0, hubFraction: 0.1, gradientMean: 0.05, gradientConcentration: 1)
        let uuid = UUID(uuidString: "00000000-0000-4000-8000-00000000000\(n)")!
        let started = Date(timeIntervalSince1970: 1_800_000_000 + 60 * Double(n))
        records.append(RunRecord(
          uuid: uuid, name: "\(profile)-\(seed)",
          method: .static, dataset: "fashion", model: "net", sizes: [784, 300, 100, 10], parameters: 26_810,
          sparsity: 0.9, profile: "\(profile) cv=\(s.cv) sparsity=0.9", seed: UInt64(seed),
          configJSON: try! RunRecord.json(config), status: .finished, psnVersion: "0.1.0",
          startedAt: started, recordedAt: started.addingTimeInterval(50), wallSeconds: 41.5,
          epochsPlanned: 3, epochsDone: 3, steps: 1407, final: final, samplesPerSecond: 4520,
          tags: ["sweep": "demo", "profile": profile, "seed": String(seed)],
          epochs: epochs, layers: [first, second, logits]))
      }
    }
    var rigl = records[0]
    rigl.uuid = UUID(uuidString: "00000000-0000-4000-8000-000000000007")!
    rigl.name = "rigl-1"
    rigl.method = .rigl
    rigl.profile = "erk sparsity=0.9"
    rigl.tags = ["sweep": "rigl-demo", "seed": "1"]
    rigl.startedAt = Date(timeIntervalSince1970: 1_800_000_500)
    rigl.final.testAccuracy = 0.8861
    rigl.layers[0].equilibriumConverged = true
    rigl.layers[0].equilibriumStep = 200
    rigl.maskUpdates = [(0, 0, 0.31, 0.30, nil), (1, 100, 0.74, 0.69, 0.21), (2, 200, 0.92, 0.85, 0.08), (3, 300, 0.93, 0.86, 0.02)].map {
      RunRecord.MaskUpdate(
        update: $0.0, step: $0.1, layer: 1, dropFraction: $0.0 == 0 ? 0 : 0.3, dropped: $0.0 == 0 ? 0 : 7000,
        grown: $0.0 == 0 ? 0 : 7000, regrown: $0.0 == 0 ? 0 : 350, churn: $0.0 == 0 ? 0 : 0.28,
        fanInMean: 78.4, fanInCV: $0.2, fanInGini: $0.2 / 2, lognormalMu: 4.1, lognormalSigma: $0.3,
        ksToPrevious: $0.4)
    }
    records.append(rigl)
    return records
  }

  /// Pairs of (query, shown output) from the document: a ```sql block followed by a ```text block.
  static func examples() throws -> [(sql: String, output: String)] {
    let text = try String(contentsOf: document, encoding: .utf8)
    var pairs: [(String, String)] = []
    let blocks = text.components(separatedBy: "```sql\n").dropFirst()
    for block in blocks {
      let parts = block.components(separatedBy: "\n```\n")
      guard parts.count >= 2, parts[1].hasPrefix("```text\n") || parts[1].hasPrefix("\n```text\n") else { continue }
      let output = parts[1].components(separatedBy: "```text\n")[1]
      pairs.append((parts[0], output + "\n"))
    }
    return pairs
  }

  @Test func everyExampleQueryGivesTheOutputShown() throws {
    let examples = try Self.examples()
    #expect(examples.count >= 8)
    try withTemporaryDirectory { (dir) throws in
      let path = dir.appendingPathComponent("results.sqlite").path
      let db = try ResultsDatabase(path: path)
      for record in Self.exampleRecords() { try db.insert(record) }
      for (sql, shown) in examples {
        // Every query runs, through psn's read-only access too.
        #expect(throws: Never.self) { try db.read("docs") { try Row.fetchAll($0, sql: sql) } }
        guard ResultsFixtures.sqlite3 != nil else { continue }
        let output = try ResultsFixtures.sqlite3(path, ".headers on\n" + sql + "\n")
        #expect(output == shown, "\(sql)\n--- sqlite3 printed:\n\(output)")
      }
    }
  }

  @Test func everyColumnIsDocumented() throws {
    let text = try String(contentsOf: Self.document, encoding: .utf8)
    try ResultsFixtures.withDatabase { (db, _) throws in
      for table in ["meta"] + ResultsSchema.tables {
        let columns = try db.read("docs") { try ResultsDatabase.columns(of: table, $0) }
        // The section `### \`table\`` lists its columns as table rows starting with | `column` |.
        let section = text.components(separatedBy: "### `\(table)`\n").dropFirst().first?
          .components(separatedBy: "\n### ").first ?? ""
        let documented = section.split(separator: "\n").compactMap { line -> String? in
          guard line.hasPrefix("| `") else { return nil }
          return line.dropFirst(3).split(separator: "`").first.map(String.init)
        }
        #expect(documented == columns, "docs/results.md, table \(table)")
      }
    }
  }
}
