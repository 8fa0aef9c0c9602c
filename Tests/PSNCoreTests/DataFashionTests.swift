import Testing

@testable import PSNCore

/// The real Fashion-MNIST from Debian's dataset-fashion-mnist (installed by scripts/setup).
///
/// Reference numbers were computed independently with Python's gzip and NumPy:
/// `a = np.frombuffer(gzip.open(f).read(), np.uint8, offset=16)`; `a.sum()`, `a[:784].sum()`,
/// `np.bincount(labels)`.
@Suite struct DataFashionTests {
  struct Reference {
    var count: Int
    var byteSum: Int
    var firstImageByteSum: Int
    /// Pixel (14, 14) of the first image: checks row-major order within an image.
    var centrePixel: UInt8
    var firstLabels: [Int32]
    var perClass: Int
  }

  static let train = Reference(
    count: 60000, byteSum: 3_431_114_169, firstImageByteSum: 76247, centrePixel: 217,
    firstLabels: [9, 0, 0, 3, 0, 2, 7, 2, 5, 5], perClass: 6000)
  static let test = Reference(
    count: 10000, byteSum: 573_469_082, firstImageByteSum: 33456, centrePixel: 110,
    firstLabels: [9, 2, 1, 1, 6, 1, 4, 6, 5, 7], perClass: 1000)

  func check(_ split: Dataset.Split, _ ref: Reference) {
    #expect(split.count == ref.count)
    #expect(split.features.count == ref.count * 784)
    // Every Float is b/255 for a byte b: undoing the scaling recovers the bytes exactly.
    var byteSum = 0
    var exact = true
    for x in split.features {
      let b = (x * 255).rounded()
      exact = exact && x == b / 255
      byteSum += Int(b)
    }
    #expect(exact)
    #expect(byteSum == ref.byteSum)
    #expect(
      Int(split.features[0..<784].reduce(0) { $0 + ($1 * 255).rounded() }) == ref.firstImageByteSum)
    #expect(split.features[14 * 28 + 14] == Float(ref.centrePixel) / 255)
    #expect(Array(split.labels.prefix(10)) == ref.firstLabels)
    var counts = [Int](repeating: 0, count: 10)
    for y in split.labels { counts[Int(y)] += 1 }
    #expect(counts == [Int](repeating: ref.perClass, count: 10))
  }

  /// With no environment at all, `load fashion` finds the Debian package's files.
  @Test func loadsFromTheDebianPackage() throws {
    let data = try DataLoader.load(DataRequest(.fashion), environment: [:])
    #expect(data.name == "fashion")
    #expect(data.featureCount == 784)
    #expect(data.classCount == 10)
    #expect(data.imageShape == .init(rows: 28, cols: 28))
    #expect(data.classNames?[9] == "Ankle boot")
    #expect(
      data.source.hasPrefix(IDXDataset.debianFashionDirectory + "/train-images-idx3-ubyte.gz"))
    check(data.train, Self.train)
    check(data.test, Self.test)
    // The training split carries its pixel bytes for the trainer's gather, the very bytes.
    let bytes = try #require(data.train.pixelBytes)
    #expect(bytes.reduce(0) { $0 + Int($1) } == Self.train.byteSum)
    #expect(bytes[14 * 28 + 14] == Self.train.centrePixel)
  }

  @Test func validationComesOutOfTraining() throws {
    let data = try DataLoader.load(
      DataRequest(.fashion, validation: .fraction(0.1), seed: 5), environment: [:])
    #expect(data.train.count == 54000)
    #expect(data.validation?.count == 6000)
    #expect(data.train.pixelBytes?.count == 54000 * 784 && data.validation?.pixelBytes?.count == 6000 * 784)
    #expect(data.test.count == 10000)
  }
}
