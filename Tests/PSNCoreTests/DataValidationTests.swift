import Testing

@testable import PSNCore

/// The validation split carved out of any source's training set, here an MNIST-style fixture of
/// 1000 distinct training images (fixed data, so only the split depends on the seed).
@Suite struct DataValidationTests {
  func load(_ validation: ValidationSplit, seed: UInt64 = 1) throws -> Dataset {
    let dir = DataFixtures.makeDirectory()
    defer { DataFixtures.remove(dir) }
    DataFixtures.writeSet(
      DataFixtures.lecunSet(
        train: .init(count: 1000, rows: 2, cols: 2), test: .init(count: 3, rows: 2, cols: 2)),
      in: dir)
    return try DataLoader.load(
      DataRequest(.mnist, directory: dir, validation: validation, seed: seed), environment: [:])
  }

  @Test func sizes() throws {
    #expect(try load(.none).validation == nil)
    #expect(try load(.fraction(0)).validation == nil)
    let fraction = try load(.fraction(0.1))
    #expect(fraction.validation?.count == 100 && fraction.train.count == 900)
    let count = try load(.count(333))
    #expect(count.validation?.count == 333 && count.train.count == 667)
    #expect(try load(.fraction(0.9999)).train.count == 1, "one training sample always remains")
  }

  /// Validation and remaining training samples partition the original training set, each in
  /// the original order; the same seed picks the same samples, another seed others.
  @Test func partitionAndDeterminism() throws {
    let whole = try load(.none, seed: 9).train
    let a = try load(.fraction(0.2), seed: 9)
    let b = try load(.fraction(0.2), seed: 9)
    let c = try load(.fraction(0.2), seed: 10)
    #expect(a.validation == b.validation && a.train == b.train)
    #expect(a.validation != c.validation)

    let f = a.featureCount
    func rows(_ s: Dataset.Split) -> [[Float]] {
      (0..<s.count).map { Array(s.features[($0 * f)..<(($0 + 1) * f)]) }
    }
    let all = rows(whole)
    let index = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1, $0) })
    let valIdx = rows(a.validation!).map { index[$0]! }
    let trainIdx = rows(a.train).map { index[$0]! }
    #expect(valIdx == valIdx.sorted() && trainIdx == trainIdx.sorted())
    #expect((valIdx + trainIdx).sorted() == Array(0..<whole.count))
    #expect(valIdx.map { whole.labels[$0] } == a.validation!.labels)
  }

  @Test func badValues() {
    let tooMany = #expect(throws: DataError.self) { try load(.count(1000)) }
    #expect(
      tooMany?.description
        == "val=1000: out of range (should be a count below the 1000 training samples, or a fraction in [0, 1))"
    )
    let whole = #expect(throws: DataError.self) { try load(.fraction(1)) }
    #expect(whole?.description == "val=1.0: out of range (should be a fraction in [0, 1))")
  }

  @Test(arguments: [
    ("0.1", ValidationSplit.fraction(0.1)), ("5000", .count(5000)), ("0", .none), ("0.0", .none),
    (".25", .fraction(0.25)),
  ])
  func parsing(text: String, expected: ValidationSplit) throws {
    #expect(try ValidationSplit(parsing: text) == expected)
  }

  @Test(arguments: ["1.5", "-3", "abc", "", "nan"])
  func parsingRejects(text: String) {
    let error = #expect(throws: DataError.self) { try ValidationSplit(parsing: text) }
    #expect(
      error?.description
        == "val=\(text): out of range (should be a fraction in [0, 1) such as 0.1, or a whole number of samples such as 5000)"
    )
  }
}
