import Foundation
import Testing

@testable import PSNCore

/// Forest CoverType from crafted `covtype.data` text.
@Suite struct DataCovtypeTests {
  /// Row i of the fixture: continuous values that vary with i, wilderness area i mod 4, soil
  /// type i (so a loaded row's soil column tells which line it came from), cover type i mod 7 + 1.
  static func row(_ i: Int) -> [Int] {
    let continuous = [
      2000 + 37 * i, i * 13 % 360, i % 30, 10 * i, i - 5, 100 * i, 200 + i, 220 - i, 100 + 2 * i,
      50 * i,
    ]
    var wilderness = [Int](repeating: 0, count: 4)
    wilderness[i % 4] = 1
    var soil = [Int](repeating: 0, count: 40)
    soil[i] = 1
    return continuous + wilderness + soil + [i % 7 + 1]
  }

  static func text(rows: Int = 20) -> String {
    (0..<rows).map { row($0).map(String.init).joined(separator: ",") + "\n" }.joined()
  }

  func load(
    _ text: String, name: String = "covtype.data", validation: ValidationSplit = .none,
    seed: UInt64 = 0
  ) throws(DataError) -> Dataset {
    let dir = DataFixtures.makeDirectory()
    defer { DataFixtures.remove(dir) }
    let bytes = Array(text.utf8)
    DataFixtures.write(
      name.hasSuffix(".gz") ? DataFixtures.gzip(bytes) : bytes, to: dir + "/" + name)
    return try DataLoader.load(
      DataRequest(.covtype, directory: dir, validation: validation, seed: seed), environment: [:])
  }

  func message(_ text: String, name: String = "covtype.data") -> String? {
    do {
      _ = try load(text, name: name)
      return nil
    } catch {
      return error.description.replacingOccurrences(
        of: #"^.*/psn-data-[^/]*/"#, with: "DIR/", options: .regularExpression)
    }
  }

  /// The fixture line a loaded row came from (its soil-type column).
  func line(_ split: Dataset.Split, _ n: Int) -> Int {
    (0..<40).first { split.features[n * 54 + 14 + $0] == 1 }!
  }

  @Test func rowsLabelsAndStandardisation() throws {
    let data = try load(Self.text())
    #expect(data.name == "covtype")
    #expect(data.featureCount == 54 && data.classCount == 7)
    #expect(data.train.count == 16 && data.test.count == 4)
    let trainLines = (0..<16).map { line(data.train, $0) }
    let testLines = (0..<4).map { line(data.test, $0) }
    #expect((trainLines + testLines).sorted() == Array(0..<20))
    #expect(trainLines == trainLines.sorted(), "file order is kept")

    // Continuous columns: (x − μ) / σ with the training rows' mean and population std.
    for j in 0..<10 {
      let raw = trainLines.map { Double(Self.row($0)[j]) }
      let mean = raw.reduce(0, +) / 16
      let sigma = (raw.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 16).squareRoot()
      for (split, lines) in [(data.train, trainLines), (data.test, testLines)] {
        for (n, i) in lines.enumerated() {
          let expected = (Double(Self.row(i)[j]) - mean) / sigma
          #expect(
            abs(Double(split.features[n * 54 + j]) - expected) < 1e-5, "column \(j) line \(i)")
        }
      }
    }
    // Indicator columns and labels as in the file.
    for (split, lines) in [(data.train, trainLines), (data.test, testLines)] {
      for (n, i) in lines.enumerated() {
        #expect(
          split.features[(n * 54 + 10)..<(n * 54 + 54)].map { Int($0) }
            == Array(Self.row(i)[10..<54]))
        #expect(split.labels[n] == Int32(i % 7))
      }
    }
  }

  /// The test rows are fixed: the same whatever the request's seed; validation rows follow it,
  /// and standardisation then uses only the rows left for training.
  @Test func testSetIgnoresTheSeed() throws {
    let a = try load(Self.text(), validation: .count(4), seed: 1)
    let b = try load(Self.text(), validation: .count(4), seed: 2)
    #expect((0..<4).map { line(a.test, $0) } == (0..<4).map { line(b.test, $0) })
    #expect(a.validation?.count == 4 && a.train.count == 12)
    #expect(a.validation != b.validation)
    for j in 0..<10 {
      let mean = (0..<12).map { Double(a.train.features[$0 * 54 + j]) }.reduce(0, +) / 12
      #expect(abs(mean) < 1e-5)
    }
  }

  @Test func gzipAndLineEndings() throws {
    let plain = try load(Self.text())
    #expect(try load(Self.text(), name: "covtype.data.gz").test == plain.test)
    let crlf = Self.text().replacingOccurrences(of: "\n", with: "\r\n") + "\r\n\n"
    #expect(try load(crlf).train == plain.train)
  }

  static let damaged = "(the file is damaged or not the expected data; download it again)"

  /// Line `i` of the fixture with its fields replaced from `index` on by `tail`.
  static func edited(_ i: Int, replacingFrom index: Int, with tail: String) -> String {
    (row(i)[..<index].map(String.init) + [tail]).joined(separator: ",")
  }

  @Test(arguments: [
    (2, "1,2,3", "3 fields, expected 55 (54 features and the cover type)"),
    (
      3, edited(2, replacingFrom: 54, with: "3,4"),
      "56 fields, expected 55 (54 features and the cover type)"
    ),
    (1, "2596,51,x3,258", "field 3 is 'x3', not a number"),
    (2, "2596,,3", "field 2 is empty, not a number"),
    (
      2, "2596," + String(repeating: "9", count: 40),
      "field 2 is '999999999999999999999999', not a number"
    ),
    (2, edited(1, replacingFrom: 54, with: ""), "field 55 is empty, not a number"),
    (4, edited(3, replacingFrom: 54, with: "1e3"), "field 55 is '1e3', not a number"),
    (4, edited(3, replacingFrom: 54, with: "2.5"), "cover type (field 55) is 2.5, should be 1...7"),
    (5, edited(4, replacingFrom: 54, with: "0"), "cover type (field 55) is 0, should be 1...7"),
    (6, edited(5, replacingFrom: 54, with: "8"), "cover type (field 55) is 8, should be 1...7"),
    (
      7,
      edited(6, replacingFrom: 12, with: Array(repeating: "2", count: 43).joined(separator: ",")),
      "field 13 is 2; the wilderness and soil indicators (fields 11–54) must be 0 or 1"
    ),
  ])
  func badLines(line: Int, content: String, problem: String) {
    var lines = Self.text().split(separator: "\n").map(String.init)
    lines[line - 1] = content
    #expect(
      message(lines.joined(separator: "\n"))
        == "DIR/covtype.data:\(line): \(problem) \(Self.damaged)")
  }

  @Test func badFiles() {
    #expect(
      message("") == "DIR/covtype.data: has 0 data rows; a train/test split needs 2 \(Self.damaged)"
    )
    #expect(
      message(Self.text(), name: "covtype.data.gz") == nil)
    let dir = DataFixtures.makeDirectory()
    defer { DataFixtures.remove(dir) }
    DataFixtures.write(Array(Self.text().utf8), to: dir + "/covtype.data.gz")
    let notGzip = #expect(throws: DataError.self) {
      try DataLoader.load(DataRequest(.covtype, directory: dir), environment: [:])
    }
    #expect(
      notGzip
        == .corrupt(
          file: dir + "/covtype.data.gz",
          problem: "not gzip data (starts with 0x32 0x30, gzip starts with 0x1f 0x8b)"))

    let folder = DataFixtures.makeDirectory()
    defer { DataFixtures.remove(folder) }
    try? DataFixtures.makeSubdirectory(folder + "/covtype.data.gz")
    let unreadable = #expect(throws: DataError.self) {
      try DataLoader.load(DataRequest(.covtype, directory: folder), environment: [:])
    }
    #expect(
      unreadable?.description
        == "\(folder)/covtype.data.gz: cannot read: not a regular file "
        + "(check the path and its permissions)")
  }
}
