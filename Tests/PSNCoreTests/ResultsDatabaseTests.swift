import Foundation
import GRDB
import Testing
@testable import PSNCore

/// Runs and records for the results tests: tiny real trainings (a few milliseconds each in a
/// release build) and hand-made records with every field set.
enum ResultsFixtures {
  /// A 12-16-8-3 network on blobs; `density` < 1 makes the first two layers sparse, `rigl` adds
  /// mask updates. With `stopAfterBatches`, the run is interrupted there.
  static func trainedRun(
    seed: UInt64 = 1, density: Double = 0.5, learningRate: Double = 1e-2, rigl: Bool = false,
    epochs: Int = 3, tags: [String: String] = [:], stopAfterBatches: Int? = nil
  ) throws -> (TrainingRun, MLP) {
    var data = TestSupport.blobs(samples: 192, features: 12, classes: 3, seed: 7)
    data.validation = TestSupport.blobs(samples: 64, features: 12, classes: 3, seed: 8).test
    var rng = PSNRandom(seed: seed, stream: "results.masks")
    let masks: [Mask?] = density < 1
      ? [
        Mask.random(nIn: 12, nOut: 16, nnz: Int(density * 192), rng: &rng),
        Mask.random(nIn: 16, nOut: 8, nnz: Int(density * 128), rng: &rng), nil,
      ]
      : [nil, nil, nil]
    let model = try MLP(sizes: [12, 16, 8, 3], masks: masks, seed: seed)
    var config = TrainingConfig()
    config.epochs = epochs
    config.batchSize = 32
    config.learningRate = learningRate
    config.seed = seed
    config.threads = 1
    if rigl { config.maskUpdate = MaskUpdateConfig(interval: 4, alpha: 0.3, endFraction: 0.75) }
    let trainer = try Trainer(model: model, data: data, config: config)
    var batches = 0
    try trainer.run(TrainingCallbacks(
      shouldStop: { stopAfterBatches.map { batches >= $0 } ?? false }, onBatch: { _ in batches += 1 }))
    let method: TrainingMethod = rigl ? .rigl : density < 1 ? .static : .dense
    let run = TrainingRun(
      name: "run\(seed)", method: method, modelName: "m\(seed)", datasetName: "blobs",
      profileDescription: density < 1 ? "random sparsity=\(1 - density)" : nil, tags: tags,
      state: trainer.state, wallSeconds: 0.25 * Double(seed),
      startedAt: Date(timeIntervalSince1970: 1_790_000_000 + Double(seed)))
    return (run, trainer.model)
  }

  /// A record with every field set (no nil anywhere), and small child tables.
  static func fullRecord(uuid: UUID = UUID(), seed: UInt64 = 3, tags: [String: String] = ["cv": "1.5", "profile": "lognormal", "seed": "3"]) -> RunRecord {
    var config = TrainingConfig()
    config.seed = seed
    let metrics = RunRecord.Metrics(
      trainLoss: 0.41, trainAccuracy: 0.87, validationLoss: 0.52, validationAccuracy: 0.83,
      testLoss: 0.55, testAccuracy: 0.8125)
    return RunRecord(
      uuid: uuid, name: "lognormal-1.5", method: .rigl, dataset: "fashion", model: "net",
      sizes: [784, 300, 100, 10], parameters: 26_810, sparsity: 0.9,
      profile: "lognormal cv=1.5 sparsity=0.9", profileSpecJSON: #"{"sparsity":0.9}"#, seed: seed,
      configJSON: try! RunRecord.json(config), status: .finished, psnVersion: "0.1.0",
      startedAt: Date(timeIntervalSince1970: 1_790_000_000.1234), recordedAt: Date(timeIntervalSince1970: 1_790_000_100.5),
      wallSeconds: 12.5, epochsPlanned: 2, epochsDone: 2, steps: 938, final: metrics,
      samplesPerSecond: 51_234.75, tags: tags,
      epochs: [
        RunRecord.Epoch(epoch: 1, metrics: metrics, learningRate: 3e-3, seconds: 1.25, samplesPerSecond: 48_000),
        RunRecord.Epoch(epoch: 2, metrics: metrics, learningRate: 1e-3, seconds: 1.5, samplesPerSecond: 40_000.5),
      ],
      layers: [
        RunRecord.Layer(
          layer: 1, nIn: 784, nOut: 300, isSparse: true, weights: 23_520, density: 0.1,
          fanInMean: 78.4, fanInStd: 117.6, fanInCV: 1.5, fanInGini: 0.62, fanInMin: 3, fanInMax: 784,
          lognormalMu: 3.9, lognormalSigma: 1.1, hubFraction: 0.1, gradientMean: 0.02,
          gradientConcentration: 2.5, fanInGradientR: 0.8, equilibriumConverged: true, equilibriumStep: 400),
      ],
      maskUpdates: [
        RunRecord.MaskUpdate(
          update: 0, step: 0, layer: 1, dropFraction: 0.3, dropped: 0, grown: 0, regrown: 0, churn: 0,
          fanInMean: 78.4, fanInCV: 1.5, fanInGini: 0.62, lognormalMu: 3.9, lognormalSigma: 1.1, ksToPrevious: 0.25),
      ])
  }

  static func withDatabase<T>(_ body: (ResultsDatabase, URL) throws -> T) throws -> T {
    try withTemporaryDirectory { (dir) throws in
      let db = try ResultsDatabase(path: dir.appendingPathComponent("results.sqlite").path)
      return try body(db, dir)
    }
  }

  /// The first column of the first row of `sql`, read directly (not through RunRows).
  static func scalar<T: DatabaseValueConvertible>(
    _ db: ResultsDatabase, _ sql: String, _ arguments: StatementArguments = []
  ) throws -> T? {
    try db.read("test query") { try T.fetchOne($0, sql: sql, arguments: arguments) }
  }

  /// The `sqlite3` command-line tool when installed (scripts/setup installs it).
  static var sqlite3: String? {
    ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// Runs `sqlite3 PATH` with `input` (SQL and dot-commands) on its standard input and returns
  /// its standard output.
  static func sqlite3(_ path: String, _ input: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(sqlite3))
    process.arguments = [path]
    let (stdin, stdout) = (Pipe(), Pipe())
    process.standardInput = stdin
    process.standardOutput = stdout
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let data = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }
}

@Suite struct ResultsDatabaseTests {
  @Test func createsTheDocumentedSchemaInRollbackJournalMode() throws {
    try ResultsFixtures.withDatabase { (db, dir) throws in
      let tables: String? = try ResultsFixtures.scalar(
        db, "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)")
      #expect(tables == "epochs layers mask_updates meta run_tags runs")
      let version: String? = try ResultsFixtures.scalar(db, "SELECT value FROM meta WHERE key = 'schema_version'")
      #expect(version == "1")
      let journal: String? = try ResultsFixtures.scalar(db, "PRAGMA journal_mode")
      #expect(journal == "delete")
      #expect(try db.integrityCheck().isOK)
      // Reopening finds the schema and keeps the runs.
      try db.insert(ResultsFixtures.fullRecord())
      let again = try ResultsDatabase(path: db.path)
      #expect(try again.runCount() == 1)
      if ResultsFixtures.sqlite3 != nil {
        #expect(try ResultsFixtures.sqlite3(db.path, "SELECT value FROM meta WHERE key = 'schema_version'") == "1\n")
      }
    }
  }

  @Test func aTrainedRigLRunIsRecordedFromItsStateAndModel() throws {
    let (run, model) = try ResultsFixtures.trainedRun(seed: 2, rigl: true, tags: ["cv": "0.5", "seed": "2"])
    let record = try RunRecord(run: run, model: model, hubFraction: 0.25)
    let last = try #require(run.lastEpoch)
    #expect(record.status == .finished && record.method == .rigl && record.seed == 2)
    #expect(record.sizes == [12, 16, 8, 3] && record.sizesDescription == "12-16-8-3")
    #expect(record.epochsDone == 3 && record.steps == 18 && record.parameters == model.parameterCount)
    #expect(record.final.testAccuracy == last.test?.accuracy && record.final.validationLoss == last.validation?.loss)
    #expect(record.final.trainLoss == last.trainLoss)
    #expect(record.epochs.map(\.epoch) == [1, 2, 3])
    #expect(record.epochs.map(\.learningRate) == run.state.history.map(\.learningRate))
    // Throughput over the run: samples / training seconds, 192 samples per epoch.
    let seconds = run.state.history.reduce(0) { $0 + $1.trainSeconds }
    #expect(abs(record.samplesPerSecond! - 576 / seconds) <= 1e-6 * record.samplesPerSecond!)
    #expect(try record.config() == run.config)

    // Fan-in summaries recomputed from the final masks by the definitions (O(n²) Gini).
    for (l, layer) in model.layers.enumerated() {
      let row = record.layers[l]
      let k = layer.fanIns.map(Double.init)
      let n = Double(k.count)
      let mean = k.reduce(0, +) / n
      let std = (k.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
      var pairs = 0.0
      for a in k { for b in k { pairs += abs(a - b) } }
      let logs = k.map { Foundation.log($0) }
      let mu = logs.reduce(0, +) / n
      #expect(row.layer == l + 1 && row.isSparse == layer.isSparse && row.weights == layer.weightCount)
      #expect(abs(row.fanInMean - mean) < 1e-12 && abs(row.fanInStd - std) < 1e-9)
      #expect(abs(row.fanInCV - std / mean) < 1e-9)
      #expect(abs(row.fanInGini - pairs / (2 * n * n * mean)) < 1e-12)
      #expect(abs(row.lognormalMu! - mu) < 1e-12)
      #expect(row.fanInMin == layer.fanIns.min() && row.fanInMax == layer.fanIns.max())
      // Concentration by hand: mean G over the top quarter by fan-in / mean G.
      let stats = run.state.neuronStatistics![l]
      let hubs = stats.fanIns.indices.sorted { (stats.fanIns[$0], -$0) > (stats.fanIns[$1], -$1) }
        .prefix(Int((0.25 * n).rounded(.up)))
      let g = stats.gradientNorms
      let concentration = (hubs.map { g[$0] }.reduce(0, +) / Double(hubs.count)) / (g.reduce(0, +) / n)
      #expect(abs(row.gradientConcentration! - concentration) < 1e-9)
      #expect(row.hubFraction == 0.25)
      #expect((row.equilibriumConverged != nil) == layer.isSparse)
    }
    // One mask-update row per update (the starting masks included) and sparse layer.
    let updates = run.state.maskUpdates
    #expect(record.maskUpdates.count == updates.count * 2)
    for row in record.maskUpdates {
      let source = updates[row.update].layers.first { $0.layer == row.layer - 1 }!
      #expect(row.step == updates[row.update].step && row.churn == source.churn && row.dropped == source.dropped)
      #expect(abs(row.fanInCV - FanInStatistics(source.fanIns).cv) < 1e-12)
      #expect((row.ksToPrevious == nil) == (row.update == 0))
    }

    try ResultsFixtures.withDatabase { (db, _) throws in
      try db.insert(record)
      #expect(try db.run(record.uuid) == record)
      #expect(try db.runs(details: .all) == [record])
      var bare = record
      (bare.epochs, bare.layers, bare.maskUpdates) = ([], [], [])
      #expect(try db.runs() == [bare])
      // The rows as sqlite3 sees them.
      if ResultsFixtures.sqlite3 != nil {
        let out = try ResultsFixtures.sqlite3(db.path, "SELECT count(*) FROM epochs; SELECT count(*) FROM layers; SELECT count(*) FROM mask_updates")
        #expect(out == "3\n3\n\(updates.count * 2)\n")
      }
    }
  }

  @Test func everyFieldRoundTrips() throws {
    try ResultsFixtures.withDatabase { (db, _) throws in
      let full = ResultsFixtures.fullRecord()
      // Seeds past Int64.max are NULL in the seed column and come back from the config.
      let big = ResultsFixtures.fullRecord(seed: UInt64.max, tags: ["note": "a, \"quoted\" value"])
      var empty = RunRecord(
        name: "bare", method: .dense, dataset: "d", model: "m", sizes: [2, 2], parameters: 6,
        sparsity: 0, seed: 0, configJSON: "{}", status: .interrupted, startedAt: Date(timeIntervalSince1970: 0),
        recordedAt: Date(timeIntervalSince1970: -1.5), wallSeconds: 0, epochsPlanned: 1, epochsDone: 0, steps: 3,
        final: RunRecord.Metrics(), samplesPerSecond: nil)
      empty.layers = [RunRecord.Layer(
        layer: 1, nIn: 2, nOut: 2, isSparse: false, weights: 4, density: 1, fanInMean: 2, fanInStd: 0,
        fanInCV: 0, fanInGini: 0, fanInMin: 2, fanInMax: 2)]
      for record in [full, big, empty] { try db.insert(record) }
      for record in [full, big, empty] {
        #expect(try db.run(record.uuid) == record)
      }
      let bigSeed: Int64? = try ResultsFixtures.scalar(
        db, "SELECT seed FROM runs WHERE uuid = ?", [big.uuid.uuidString.lowercased()])
      #expect(bigSeed == nil)
      let started: String? = try ResultsFixtures.scalar(db, "SELECT started_at FROM runs WHERE name = 'bare'")
      let recorded: String? = try ResultsFixtures.scalar(db, "SELECT recorded_at FROM runs WHERE name = 'bare'")
      #expect(started == "1970-01-01T00:00:00.000Z" && recorded == "1969-12-31T23:59:58.500Z")
    }
  }

  @Test func datesAreKeptToTheMillisecond() throws {
    var record = ResultsFixtures.fullRecord()
    #expect(record.startedAt == Date(timeIntervalSince1970: 1_790_000_000.123))
    record.recordedAt = Date(timeIntervalSince1970: 1_790_000_000.0006)
    #expect(record.recordedAt == Date(timeIntervalSince1970: 1_790_000_000.001))
    #expect(ResultsTimestamp.format(Date(timeIntervalSince1970: 951_782_400.5)) == "2000-02-29T00:00:00.500Z")
    for t in [-86_400_000.25, 0, 951_782_400.5, 4_102_444_799.999] {
      let date = ResultsTimestamp.rounded(Date(timeIntervalSince1970: t))
      #expect(ResultsTimestamp.parse(ResultsTimestamp.format(date)) == date)
    }
    for bad in ["2027-01-15 08:00:00.000Z", "2027-13-15T08:00:00.000Z", "2027-01-15T08:00:00Z", ""] {
      #expect(ResultsTimestamp.parse(bad) == nil)
    }
  }

  @Test func aRunIsStoredStraightFromTheTrainer() throws {
    let (run, model) = try ResultsFixtures.trainedRun(seed: 5, epochs: 1, tags: ["seed": "5"])
    try ResultsFixtures.withDatabase { (db, _) throws in
      let record = try db.insert(run: run, model: model)
      #expect(try db.run(record.uuid) == record)
      #expect(record.recordedAt <= Date() && record.name == "run5")
    }
  }

  @Test func nonFiniteValuesAreStoredAsNull() throws {
    try ResultsFixtures.withDatabase { (db, _) throws in
      var record = ResultsFixtures.fullRecord()
      record.wallSeconds = .infinity
      record.final = RunRecord.Metrics(trainLoss: .nan, testAccuracy: .infinity)
      #expect(record.final.trainLoss == nil && record.final.testAccuracy == nil)
      try db.insert(record)
      let back = try #require(try db.run(record.uuid))
      #expect(back.wallSeconds.isNaN)
      #expect(back.final == record.final)
    }
  }

  @Test func anInterruptedRunIsStoredWithItsCompletedEpochs() throws {
    let (run, model) = try ResultsFixtures.trainedRun(seed: 4, stopAfterBatches: 8)  // 6 batches per epoch
    let record = try RunRecord(run: run, model: model)
    #expect(record.status == .interrupted && record.epochsDone == 1 && record.steps == 8)
    #expect(record.epochs.count == 1 && record.final.testAccuracy == run.state.history[0].test?.accuracy)
    #expect(record.layers.allSatisfy { $0.gradientConcentration == nil && $0.hubFraction == nil })
    try ResultsFixtures.withDatabase { (db, _) throws in
      try db.insert(record)
      #expect(try db.run(record.uuid) == record)
      #expect(try db.runs(where: "status = 'interrupted'").count == 1)
    }
  }

  @Test func aRunIsStoredOnceUnlessReplaced() throws {
    try ResultsFixtures.withDatabase { (db, _) throws in
      var record = ResultsFixtures.fullRecord()
      try db.insert(record)
      #expect(throws: ResultsError.duplicateRun(uuid: record.uuid.uuidString.lowercased(), path: db.path)) {
        try db.insert(record)
      }
      record.epochs.removeLast()
      record.tags = ["cv": "2"]
      try db.insert(record, replacing: true)
      #expect(try db.run(record.uuid) == record)
      let epochRows: Int? = try ResultsFixtures.scalar(db, "SELECT count(*) FROM epochs")
      #expect(epochRows == 1)
      #expect(try db.delete([record.uuid, UUID()]) == 1)
      #expect(try db.runCount() == 0)
      let tagRows: Int? = try ResultsFixtures.scalar(db, "SELECT count(*) FROM run_tags")
      #expect(tagRows == 0)
    }
  }

  @Test func tagKeysMustBeIdentifiers() throws {
    var record = ResultsFixtures.fullRecord()
    record.tags = ["bad key": "1"]
    try ResultsFixtures.withDatabase { (db, _) throws in
      #expect(throws: ResultsError.invalidTagKey("bad key")) { try db.insert(record) }
      #expect(try db.runCount() == 0)
    }
    #expect(
      ResultsError.invalidTagKey("bad key").description
        == "tag 'bad key': a tag key must start with a letter and contain only letters, digits and _ (rename the key)")
    for key in ["cv", "lr_2", "Seed"] { #expect(throws: Never.self) { try RunRecord.validateTagKey(key) } }
    for key in ["", "2x", "_x", "a.b", "a-b", "é"] { #expect(throws: ResultsError.self) { try RunRecord.validateTagKey(key) } }
  }

  @Test func aModelFromAnotherRunIsRefused() throws {
    let (run, _) = try ResultsFixtures.trainedRun(seed: 1, epochs: 1)
    let other = try MLP(sizes: [12, 8, 3], seed: 1)
    #expect(throws: ResultsError.mismatch("run 'run1' trained 3 layers but the model has 2")) {
      try RunRecord(run: run, model: other)
    }
  }

  @Test func finishedRunsAreFoundByTheirTags() throws {
    try ResultsFixtures.withDatabase { (db, _) throws in
      let a = ResultsFixtures.fullRecord(tags: ["cv": "1", "seed": "1", "sweep": "s"])
      let b = ResultsFixtures.fullRecord(tags: ["cv": "2", "seed": "1", "sweep": "s"])
      var c = ResultsFixtures.fullRecord(tags: ["cv": "1", "seed": "1", "sweep": "s"])
      c.status = .interrupted
      for r in [a, b, c] { try db.insert(r) }
      #expect(try db.finishedRuns(taggedWith: ["cv": "1", "sweep": "s"]) == [a.uuid])
      #expect(try Set(db.finishedRuns(taggedWith: ["sweep": "s"])) == [a.uuid, b.uuid])
      #expect(try db.finishedRuns(taggedWith: ["cv": "3"]).isEmpty)
    }
  }
}

@Suite struct ResultsFilterTests {
  /// Three runs: cv 0.5/1.5/2 (tags), methods static/rigl/rigl, seeds 1/2/3 (column and tag).
  func database(_ body: (ResultsDatabase) throws -> Void) throws {
    try ResultsFixtures.withDatabase { (db, _) throws in
      for (i, (cv, method)) in [("0.5", TrainingMethod.static), ("1.5", .rigl), ("2", .rigl)].enumerated() {
        var r = ResultsFixtures.fullRecord(seed: UInt64(i + 1), tags: ["cv": cv, "seed": String(i + 1), "profile": "lognormal"])
        r.method = method
        r.startedAt = Date(timeIntervalSince1970: 1_800_000_000 + Double(i))
        try db.insert(r)
      }
      try body(db)
    }
  }

  func seeds(_ db: ResultsDatabase, _ filter: String) throws -> [UInt64] { try db.runs(where: filter).map(\.seed) }

  @Test func expressionsSeeColumnsAndTagsWithNumericTags() throws {
    try database { (db) throws in
      #expect(try seeds(db, "cv = 1.5") == [2])
      #expect(try seeds(db, "cv >= 1") == [2, 3])  // numerically: '0.5' < 1 < '1.5' < '2'
      #expect(try seeds(db, "method = 'rigl' and cv < 2") == [2])
      #expect(try seeds(db, "tag.seed != 2 and runs.seed < 3") == [1])
      #expect(try seeds(db, "tag.profile = 'lognormal' and test_accuracy > 0.8") == [1, 2, 3])
      #expect(try seeds(db, "  ") == [1, 2, 3])
      #expect(try seeds(db, "json_extract(config, '$.seed') = 3") == [3])
      #expect(try seeds(db, "cv = 1.5 -- a trailing comment") == [2])
    }
  }

  @Test(arguments: [
    ("seed = 2", "ambiguous column name: seed", "'seed' is both a runs column and a tag: write runs.seed or tag.seed"),
    ("cvv > 1", "no such column: cvv", "did you mean 'cv'?"),
    ("method = rigl", "no such column: rigl", "text values need single quotes, as in method = 'rigl'; runs columns: "),
    ("cv >> > 1", "near \">\": syntax error", "write an SQL expression over the runs columns and tags"),
  ])
  func badExpressionsQuoteSQLiteAndSuggestAFix(filter: String, reason: String, hint: String) throws {
    try database { (db) throws in
      do throws(ResultsError) {
        _ = try db.runs(where: filter)
        Issue.record("\(filter) was accepted")
      } catch {
        guard case .badFilter(let expression, let got, _) = error else {
          Issue.record("unexpected \(error)")
          return
        }
        #expect(expression == filter)
        #expect(got == reason)
        #expect(error.description.hasPrefix("where=\(filter): \(reason) ("))
        #expect(error.description.contains(hint), "\(error.description)")
      }
      #expect(throws: ResultsError.self) { try db.validateFilter(filter) }
    }
  }

  @Test func aFilterCannotChangeTheDatabase() throws {
    try database { (db) throws in
      #expect(throws: ResultsError.self) { try db.runs(where: "1); DELETE FROM runs; SELECT (1") }
      #expect(throws: ResultsError.self) { try db.runs(where: "1 = (SELECT 1 FROM runs) OR 1 IN (DELETE FROM runs)") }
      #expect(try db.runCount() == 3)
    }
  }
}

@Suite struct ResultsOpenTests {
  @Test func refusesFilesThatAreNotResultsDatabases() throws {
    try withTemporaryDirectory { (dir) throws in
      let other = dir.appendingPathComponent("other.sqlite").path
      try DatabaseQueue(path: other).write { try $0.execute(sql: "CREATE TABLE t(x)") }
      #expect(throws: ResultsError.notAResultsDatabase(path: other)) { try ResultsDatabase(path: other) }
      let garbage = dir.appendingPathComponent("garbage.sqlite").path
      try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: garbage))
      #expect(throws: ResultsError.cannotOpen(path: garbage, reason: "file is not a database")) {
        try ResultsDatabase(path: garbage)
      }
      let missing = dir.appendingPathComponent("no/such/dir/r.sqlite").path
      #expect(throws: ResultsError.self) { try ResultsDatabase(path: missing) }
      #expect(throws: ResultsError.notFound(path: missing)) { try ResultsDatabase(path: missing, readOnly: true) }
    }
  }

  @Test func refusesAnotherSchemaVersion() throws {
    try ResultsFixtures.withDatabase { (db, _) throws in
      try db.write("") { try $0.execute(sql: "UPDATE meta SET value = '2' WHERE key = 'schema_version'") }
      #expect(throws: ResultsError.schemaMismatch(path: db.path, found: "2", expected: 1)) {
        try ResultsDatabase(path: db.path)
      }
      #expect(
        ResultsError.schemaMismatch(path: "r.sqlite", found: "2", expected: 1).description
          == "r.sqlite: results schema version 2, this psn reads version 1 (open it with the psn that wrote it, or export it there)")
    }
  }

  @Test func readOnlyOpensNeverWrite() throws {
    try ResultsFixtures.withDatabase { (db, _) throws in
      try db.insert(ResultsFixtures.fullRecord())
      let reader = try ResultsDatabase(path: db.path, readOnly: true)
      #expect(try reader.runCount() == 1)
      #expect(throws: ResultsError.self) { try reader.insert(ResultsFixtures.fullRecord()) }
      #expect(try db.runCount() == 1)
    }
  }
}
