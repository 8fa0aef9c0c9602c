import Foundation
import Testing

@testable import PSNCore

/// MNIST and EMNIST from crafted IDX files; the location rules; the errors for damaged sets.
@Suite struct DataImageTests {
  typealias Images = DataFixtures.Images

  /// Loads `source` from a temporary directory holding `files`.
  func load(
    _ source: DataSource, _ files: [String: [UInt8]], validation: ValidationSplit = .none
  ) throws(DataError) -> Dataset {
    let dir = DataFixtures.makeDirectory()
    defer { DataFixtures.remove(dir) }
    DataFixtures.writeSet(files, in: dir)
    return try DataLoader.load(
      DataRequest(source, directory: dir, validation: validation), environment: [:])
  }

  /// The error message for loading `files`, with the temporary directory shown as `DIR`.
  func message(_ source: DataSource, _ files: [String: [UInt8]]) -> String? {
    let dir = DataFixtures.makeDirectory()
    defer { DataFixtures.remove(dir) }
    DataFixtures.writeSet(files, in: dir)
    do {
      _ = try DataLoader.load(DataRequest(source, directory: dir), environment: [:])
      return nil
    } catch {
      return error.description.replacingOccurrences(of: dir, with: "DIR")
    }
  }

  @Test func mnistPixelsAndLabels() throws {
    let train = Images(count: 6, rows: 3, cols: 4)
    let data = try load(.mnist, DataFixtures.lecunSet(train: train))
    #expect(data.name == "mnist")
    #expect(data.featureCount == 12)
    #expect(data.classCount == 10)
    #expect(data.imageShape == .init(rows: 3, cols: 4))
    #expect(data.train.count == 6 && data.test.count == 4)
    #expect(data.validation == nil)
    #expect(data.train.labels == [0, 1, 2, 3, 4, 5])
    for s in 0..<6 {
      for r in 0..<3 {
        for c in 0..<4 {
          #expect(data.train.features[s * 12 + r * 4 + c] == Float(train.pixel(s, r, c)) / 255)
        }
      }
    }
    #expect(data.train.features.allSatisfy { $0 >= 0 && $0 <= 1 })
  }

  @Test func uncompressedFilesAreAccepted() throws {
    let names = IDXDataset.lecunFiles.map { String($0.dropLast(3)) }
    let data = try load(.mnist, DataFixtures.lecunSet(names: names))
    #expect(data.train.count == 6)
  }

  /// EMNIST stores images transposed: non-square fixtures stored column-major must come back
  /// as the row-major originals, with rows and columns the right way round.
  @Test func emnistIsTurnedUpright() throws {
    let train = Images(count: 5, rows: 3, cols: 4)
    let names = IDXDataset.emnist(.digits).location.files
    let data = try load(
      .emnist(split: .digits), DataFixtures.lecunSet(names: names, train: train, transposed: true))
    #expect(data.name == "emnist-digits")
    #expect(data.imageShape == .init(rows: 3, cols: 4))
    let upright = train.bytes().map { Float($0) / 255 }
    #expect(data.train.features == upright)
  }

  @Test func emnistLettersShiftLabels() throws {
    let names = IDXDataset.emnist(.letters).location.files
    let data = try load(
      .emnist(split: .letters),
      DataFixtures.lecunSet(names: names, transposed: true, labelOffset: 1, classes: 26))
    #expect(data.classCount == 26)
    #expect(data.classNames?.first == "Aa")
    #expect(data.train.labels == [0, 1, 2, 3, 4, 5])

    var zero = DataFixtures.lecunSet(
      names: names, transposed: true, labelOffset: 1, classes: 26)
    zero[names[3]] = DataFixtures.idx(dims: [4], data: [3, 0, 26, 1])
    #expect(
      message(.emnist(split: .letters), zero)
        == "DIR/emnist-letters-test-labels-idx1-ubyte.gz: label 0 at index 1 is outside 1...26 "
        + "(26 classes) (the file is damaged or not the expected data; download it again)")
  }

  @Test(arguments: EMNISTSplit.allCases)
  func emnistClassCounts(split: EMNISTSplit) {
    let expected: [EMNISTSplit: Int] = [
      .balanced: 47, .byclass: 62, .bymerge: 47, .digits: 10, .letters: 26, .mnist: 10,
    ]
    #expect(split.classNames.count == expected[split])
    #expect(Set(split.classNames).count == split.classNames.count)
  }

  @Test func emnistFileNames() {
    #expect(
      IDXDataset.emnist(.balanced).location.files == [
        "emnist-balanced-train-images-idx3-ubyte.gz", "emnist-balanced-train-labels-idx1-ubyte.gz",
        "emnist-balanced-test-images-idx3-ubyte.gz", "emnist-balanced-test-labels-idx1-ubyte.gz",
      ])
  }
}

/// Each way an image set can be damaged, with the exact message it must give.
struct DamagedSet: Sendable, CustomTestStringConvertible {
  var name: String
  var damage: @Sendable (inout [String: [UInt8]]) -> Void
  var expected: String
  var testDescription: String { name }

  static let trainImages = "train-images-idx3-ubyte.gz"
  static let trainLabels = "train-labels-idx1-ubyte.gz"
  static let testImages = "t10k-images-idx3-ubyte.gz"
  static let testLabels = "t10k-labels-idx1-ubyte.gz"
  static let damaged = "(the file is damaged or not the expected data; download it again)"
  static let unrelated = "(these files do not belong together; download the set again)"

  static let all: [DamagedSet] = [
    .init(
      name: "missing file", damage: { $0[testLabels] = nil },
      expected: """
        mnist: data files not found; expected train-images-idx3-ubyte.gz, \
        train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz
          searched DIR (dir=): missing t10k-labels-idx1-ubyte.gz
          (download the four MNIST files into $PSN_DATA/mnist (or $PSN_DATA) and set PSN_DATA, \
        or pass dir=DIR)
        """),
    .init(
      name: "not gzip",
      damage: {
        $0[trainImages] = nil
        $0["train-images-idx3-ubyte"] = [1]
      },
      expected: "DIR/train-images-idx3-ubyte: too short for an IDX header (1 bytes) \(damaged)"),
    .init(
      name: "bad magic",
      damage: {
        $0[trainLabels] = DataFixtures.idx(dims: [6, 1], data: [UInt8](repeating: 0, count: 6))
      },
      expected:
        "DIR/train-labels-idx1-ubyte.gz: bad IDX magic number 0x00000802 (labels files start "
        + "with 0x00000801: unsigned bytes, 1 dimension) \(damaged)"),
    .init(
      name: "truncated images", damage: { $0[testImages]!.removeLast(5) },
      expected:
        "DIR/t10k-images-idx3-ubyte.gz: truncated: the header declares 4 × 3 × 4 = 48 bytes "
        + "of images, the file holds 43 \(damaged)"),
    .init(
      name: "label out of range", damage: { $0[trainLabels]![8 + 2] = 10 },
      expected: "DIR/train-labels-idx1-ubyte.gz: label 10 at index 2 is outside 0...9 (10 classes) "
        + "\(damaged)"),
    .init(
      name: "count mismatch",
      damage: { $0[trainLabels] = DataFixtures.idx(dims: [5], data: [0, 1, 2, 3, 4]) },
      expected: "DIR/train-images-idx3-ubyte.gz, DIR/train-labels-idx1-ubyte.gz: 6 images but 5 "
        + "labels \(unrelated)"),
    .init(
      name: "train/test sizes differ",
      damage: { $0[testImages] = DataFixtures.Images(count: 4, rows: 4, cols: 3).idxFile() },
      expected: "DIR/train-images-idx3-ubyte.gz, DIR/t10k-images-idx3-ubyte.gz: train images are "
        + "3 × 4 pixels but test images are 4 × 3 \(unrelated)"),
  ]
}

extension DataImageTests {
  @Test(arguments: DamagedSet.all)
  func damagedSet(_ c: DamagedSet) {
    var files = DataFixtures.lecunSet()
    c.damage(&files)
    #expect(message(.mnist, files) == c.expected)
  }
}
