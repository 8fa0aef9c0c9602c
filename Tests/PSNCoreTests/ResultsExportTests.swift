import Foundation
import Testing
@testable import PSNCore

@Suite struct ResultsExportTests {
  /// Two small runs whose every exported field is known: a finished static run with a quoted tag
  /// value and one epoch row, and an interrupted RigL run with mostly empty metrics.
  func database(_ body: (ResultsDatabase, URL) throws -> Void) throws {
    try ResultsFixtures.withDatabase { (db, dir) throws in
      let a = RunRecord(
        uuid: UUID(uuidString: "00000000-0000-0000-0000-000000000001")!, name: "a", method: .static,
        dataset: "blobs", model: "m", sizes: [4, 3, 2], parameters: 17, sparsity: 0.5,
        profile: "random sparsity=0.5", seed: 1, configJSON: #"{"seed":1}"#, status: .finished,
        psnVersion: "0.1.0", startedAt: Date(timeIntervalSince1970: 1_800_000_000),
        recordedAt: Date(timeIntervalSince1970: 1_800_000_060), wallSeconds: 1.5, epochsPlanned: 2,
        epochsDone: 2, steps: 10,
        final: RunRecord.Metrics(trainLoss: 0.5, trainAccuracy: 0.75, testLoss: 0.625, testAccuracy: 0.8),
        samplesPerSecond: 1000, tags: ["cv": "1.5", "seed": "1", "note": #"x, "y""#],
        epochs: [RunRecord.Epoch(epoch: 1, metrics: RunRecord.Metrics(trainLoss: 0.5), learningRate: 0.01, seconds: 2, samplesPerSecond: 1000)])
      let b = RunRecord(
        uuid: UUID(uuidString: "00000000-0000-0000-0000-000000000002")!, name: "b", method: .rigl,
        dataset: "blobs", model: "m", sizes: [4, 3, 2], parameters: 17, sparsity: 0.5, seed: 2,
        configJSON: #"{"seed":2}"#, status: .interrupted, psnVersion: "0.1.0",
        startedAt: Date(timeIntervalSince1970: 1_800_000_001.5), recordedAt: Date(timeIntervalSince1970: 1_800_000_060),
        wallSeconds: 0.25, epochsPlanned: 2, epochsDone: 1, steps: 5,
        final: RunRecord.Metrics(trainLoss: 0.25), samplesPerSecond: nil, tags: ["cv": "2", "seed": "2"])
      try db.insert(b)
      try db.insert(a)
      try body(db, dir)
    }
  }

  static let header =
    "uuid,name,method,dataset,model,sizes,parameters,sparsity,profile,profile_spec,seed,config,status,"
    + "psn_version,started_at,recorded_at,wall_seconds,epochs_planned,epochs_done,steps,train_loss,"
    + "train_accuracy,val_loss,val_accuracy,test_loss,test_accuracy,samples_per_second,cv,note,tag.seed"
  static let rowA =
    #"00000000-0000-0000-0000-000000000001,a,static,blobs,m,4-3-2,17,0.5,random sparsity=0.5,,1,"{""seed"":1}",finished,"#
    + #"0.1.0,2027-01-15T08:00:00.000Z,2027-01-15T08:01:00.000Z,1.5,2,2,10,0.5,0.75,,,0.625,0.8,1000.0,1.5,"x, ""y""",1"#
  static let rowB =
    #"00000000-0000-0000-0000-000000000002,b,rigl,blobs,m,4-3-2,17,0.5,,,2,"{""seed"":2}",interrupted,"#
    + #"0.1.0,2027-01-15T08:00:01.500Z,2027-01-15T08:01:00.000Z,0.25,2,1,5,0.25,,,,,,,2,,2"#

  @Test func csvHasOneRowPerRunWithTagsAsColumns() throws {
    try database { (db, _) throws in
      #expect(try db.csv() == [Self.header, Self.rowA, Self.rowB].joined(separator: "\n") + "\n")
      #expect(try db.csv(where: "status = 'interrupted'") == Self.header + "\n" + Self.rowB + "\n")
      #expect(try db.csv(where: "cv > 5") == Self.header + "\n")
    }
  }

  @Test func jsonHasEveryColumnTagsAndDetails() throws {
    try database { (db, _) throws in
      let a =
        #"{"uuid":"00000000-0000-0000-0000-000000000001","name":"a","method":"static","dataset":"blobs","model":"m","#
        + #""sizes":"4-3-2","parameters":17,"sparsity":0.5,"profile":"random sparsity=0.5","profile_spec":null,"seed":1,"#
        + #""config":{"seed":1},"status":"finished","psn_version":"0.1.0","started_at":"2027-01-15T08:00:00.000Z","#
        + #""recorded_at":"2027-01-15T08:01:00.000Z","wall_seconds":1.5,"epochs_planned":2,"epochs_done":2,"steps":10,"#
        + #""train_loss":0.5,"train_accuracy":0.75,"val_loss":null,"val_accuracy":null,"test_loss":0.625,"#
        + #""test_accuracy":0.8,"samples_per_second":1000.0,"tags":{"cv":"1.5","note":"x, \"y\"","seed":"1"}"#
      let epochs =
        #","epochs":[{"epoch":1,"train_loss":0.5,"train_accuracy":null,"val_loss":null,"val_accuracy":null,"#
        + #""test_loss":null,"test_accuracy":null,"learning_rate":0.01,"seconds":2.0,"samples_per_second":1000.0}]"#
      let b =
        #"{"uuid":"00000000-0000-0000-0000-000000000002","name":"b","method":"rigl","dataset":"blobs","model":"m","#
        + #""sizes":"4-3-2","parameters":17,"sparsity":0.5,"profile":null,"profile_spec":null,"seed":2,"#
        + #""config":{"seed":2},"status":"interrupted","psn_version":"0.1.0","started_at":"2027-01-15T08:00:01.500Z","#
        + #""recorded_at":"2027-01-15T08:01:00.000Z","wall_seconds":0.25,"epochs_planned":2,"epochs_done":1,"steps":5,"#
        + #""train_loss":0.25,"train_accuracy":null,"val_loss":null,"val_accuracy":null,"test_loss":null,"#
        + #""test_accuracy":null,"samples_per_second":null,"tags":{"cv":"2","seed":"2"}"#
      #expect(try db.json(details: []) == "[\n\(a)},\n\(b)}\n]\n")
      let full = try db.json()
      #expect(full == "[\n\(a)\(epochs),\"layers\":[],\"mask_updates\":[]},\n\(b),\"epochs\":[],\"layers\":[],\"mask_updates\":[]}\n]\n")
      // Valid JSON, as a JSON reader sees it.
      let parsed = try #require(try JSONSerialization.jsonObject(with: Data(full.utf8)) as? [[String: Any]])
      #expect(parsed.count == 2 && (parsed[0]["config"] as? [String: Any])?["seed"] as? Int == 1)
      #expect(try db.json(where: "cv > 5") == "[\n]\n")
    }
  }

  @Test func exportWritesTheFormatItsExtensionNames() throws {
    try database { (db, dir) throws in
      let csv = dir.appendingPathComponent("runs.csv").path
      let json = dir.appendingPathComponent("RUNS.JSON").path
      #expect(try db.export(to: csv, where: "name = 'a'") == 1)
      #expect(try String(contentsOfFile: csv, encoding: .utf8) == Self.header + "\n" + Self.rowA + "\n")
      #expect(try db.export(to: json) == 2)
      #expect(try String(contentsOfFile: json, encoding: .utf8) == db.json())
      let txt = dir.appendingPathComponent("runs.txt").path
      #expect(throws: ResultsError.unsupportedExportFormat(path: txt)) { try db.export(to: txt) }
      #expect(!FileManager.default.fileExists(atPath: txt))
      #expect(
        ResultsError.unsupportedExportFormat(path: "x.txt").description
          == "export to=x.txt: unknown format (the file name must end in .csv or .json)")
      #expect(throws: ResultsError.self) { try db.export(to: csv, where: "nope = 1") }
      #expect(try String(contentsOfFile: csv, encoding: .utf8) == Self.header + "\n" + Self.rowA + "\n")
    }
  }

  @Test func csvReadsBackInSQLite() throws {
    // An independent reader: sqlite3's own CSV import parses the quoting back to the values.
    guard ResultsFixtures.sqlite3 != nil else { return }
    try database { (db, dir) throws in
      let csv = dir.appendingPathComponent("runs.csv").path
      try db.export(to: csv)
      let scratch = dir.appendingPathComponent("scratch.sqlite").path
      let out = try ResultsFixtures.sqlite3(
        scratch, ".import --csv \(csv) r\nSELECT note, config, cv FROM r ORDER BY uuid;")
      #expect(out == "x, \"y\"|{\"seed\":1}|1.5\n|{\"seed\":2}|2\n")
    }
  }

  @Test func jsonStringsEscapeControlCharacters() {
    #expect(ExportText.jsonString("a\"b\\c\nd\u{1}é") == #""a\"b\\c\nd\u0001é""#)
    #expect(ExportText.csvField("plain") == "plain")
    #expect(ExportText.csvField("two\nlines") == "\"two\nlines\"")
  }
}
