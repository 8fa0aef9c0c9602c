/// The IDX image datasets — Fashion-MNIST, MNIST and EMNIST — from their four standard files.
///
/// Pixels become Float in [0, 1] (byte / 255); labels become class indices 0..<classCount.
/// EMNIST stores each image transposed (column-major, as its MATLAB origin wrote it); it is
/// transposed back here so every image dataset displays upright the same way.
struct IDXDataset {
  var location: DataLocation
  var classNames: [String]
  /// Whether the files store images transposed (EMNIST).
  var transposed = false
  /// The label value in the file for class 0 (1 for EMNIST `letters`).
  var firstLabel = 0

  static let debianFashionDirectory = "/usr/share/datasets/fashion-mnist"

  static let fashion = IDXDataset(
    location: DataLocation(
      dataset: "fashion", files: lecunFiles, folder: "fashion-mnist", searchDataRoot: false,
      systemDirectory: (debianFashionDirectory, "Debian package dataset-fashion-mnist"),
      fix: "install it with `sudo apt-get install dataset-fashion-mnist`, or put the files in "
        + "$PSN_DATA/fashion-mnist, or pass dir=DIR"),
    classNames: [
      "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
      "Ankle boot",
    ])

  static let mnist = IDXDataset(
    location: DataLocation(
      dataset: "mnist", files: lecunFiles, folder: "mnist",
      fix: "download the four MNIST files into $PSN_DATA/mnist (or $PSN_DATA) and set PSN_DATA, "
        + "or pass dir=DIR"),
    classNames: (0..<10).map(String.init))

  static func emnist(_ split: EMNISTSplit) -> IDXDataset {
    let prefix = "emnist-\(split.rawValue)"
    return IDXDataset(
      location: DataLocation(
        dataset: prefix,
        files: ["train", "test"].flatMap { part in
          ["\(prefix)-\(part)-images-idx3-ubyte.gz", "\(prefix)-\(part)-labels-idx1-ubyte.gz"]
        },
        folder: "emnist",
        fix: "download EMNIST's IDX release (gzip.zip) and unzip its gzip/ files into "
          + "$PSN_DATA/emnist (or $PSN_DATA) and set PSN_DATA, or pass dir=DIR"),
      classNames: split.classNames, transposed: true, firstLabel: split.firstLabel)
  }

  /// MNIST's file names, which Fashion-MNIST reuses.
  static let lecunFiles = [
    "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
  ]

  /// Finds, reads and checks the four files (`location.files` order: train images, train
  /// labels, test images, test labels).
  func load(directory: String?, environment: [String: String]) throws(DataError) -> Dataset {
    let paths = try location.find(directory: directory, environment: environment)
    let trainImages = try IDXFile.read(paths[0], rank: 3)
    let trainLabels = try IDXFile.read(paths[1], rank: 1)
    let testImages = try IDXFile.read(paths[2], rank: 3)
    let testLabels = try IDXFile.read(paths[3], rank: 1)
    for (images, labels) in [(trainImages, trainLabels), (testImages, testLabels)]
    where images.count != labels.count {
      throw .mismatch(
        files: [images.file, labels.file],
        problem: "\(images.count) images but \(labels.count) labels")
    }
    guard trainImages.dims.dropFirst() == testImages.dims.dropFirst() else {
      throw .mismatch(
        files: [trainImages.file, testImages.file],
        problem: "train images are \(trainImages.dims[1]) × \(trainImages.dims[2]) pixels "
          + "but test images are \(testImages.dims[1]) × \(testImages.dims[2])")
    }
    let (rows, cols) =
      transposed
      ? (trainImages.dims[2], trainImages.dims[1]) : (trainImages.dims[1], trainImages.dims[2])
    return Dataset(
      name: location.dataset, featureCount: rows * cols, classCount: classNames.count,
      classNames: classNames, imageShape: .init(rows: rows, cols: cols),
      train: try split(trainImages, trainLabels, keepingBytes: true),
      test: try split(testImages, testLabels, keepingBytes: false),
      source: paths.joined(separator: ", "))
  }

  /// Images as features b / 255 in [0, 1] (exactly what a NumPy reference computes in float32)
  /// with their labels; the training split keeps the bytes too (`Dataset.Split.pixelBytes`, which
  /// the trainer gathers batches from), by construction the bytes of the features.
  func split(_ images: IDXFile, _ labelFile: IDXFile, keepingBytes: Bool) throws(DataError) -> Dataset.Split {
    let bytes = uprightBytes(images)
    var features = [Float](repeating: 0, count: bytes.count)
    for i in bytes.indices { features[i] = Float(bytes[i]) / 255 }
    return Dataset.Split(features: features, labels: try labels(labelFile), pixelBytes: keepingBytes ? bytes : nil)
  }

  /// Image bytes, transposing each image back upright when the file stores it transposed.
  func uprightBytes(_ images: IDXFile) -> [UInt8] {
    let n = images.count
    let (a, b) = (images.dims[1], images.dims[2])  // as stored: a rows of b bytes
    let size = a * b
    let start = images.dataOffset
    if !transposed { return Array(images.bytes[start..<start + n * size]) }
    var out = [UInt8](repeating: 0, count: n * size)
    // upright pixel (r, c), r < b, c < a, is stored at (c, r)
    for s in 0..<n {
      let image = s * size
      for r in 0..<b {
        for c in 0..<a { out[image + r * a + c] = images.bytes[start + image + c * b + r] }
      }
    }
    return out
  }

  /// Label bytes shifted by `firstLabel` to 0..<classCount; any value outside is an error, never
  /// a silently wrong class.
  func labels(_ labels: IDXFile) throws(DataError) -> [Int32] {
    let classCount = classNames.count
    var result = [Int32](repeating: 0, count: labels.count)
    for i in 0..<labels.count {
      let value = Int(labels.bytes[labels.dataOffset + i])
      let label = value - firstLabel
      guard label >= 0 && label < classCount else {
        throw .corrupt(
          file: labels.file,
          problem:
            "label \(value) at index \(i) is outside \(firstLabel)...\(firstLabel + classCount - 1) "
            + "(\(classCount) classes)")
      }
      result[i] = Int32(label)
    }
    return result
  }
}
