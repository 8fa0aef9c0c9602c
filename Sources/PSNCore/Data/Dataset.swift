/// A labelled classification dataset held in memory, split into train / (validation) / test.
///
/// Features are `Float`, stored sample-major: sample `n`'s features are
/// `features[n*featureCount ..< (n+1)*featureCount]`. Labels are class indices in `0..<classCount`.
public struct Dataset: Sendable {
  /// One part of a dataset (train, validation or test).
  public struct Split: Sendable, Equatable {
    public var features: [Float]
    public var labels: [Int32]
    /// The features as bytes b with `features[i] == Float(b[i]) / 255` exactly, when they are
    /// such (images decoded from IDX files; see `withPixelBytes`): the trainer gathers its
    /// batches from these, a quarter of the memory traffic, converting on the way. nil otherwise.
    public var pixelBytes: [UInt8]?
    public var count: Int { labels.count }

    public init(features: [Float], labels: [Int32], pixelBytes: [UInt8]? = nil) {
      self.features = features
      self.labels = labels
      self.pixelBytes = pixelBytes
    }

    /// The split with `pixelBytes` set if every feature is b / 255 for a byte b (checked value by
    /// value, so the bytes give back exactly these floats), else unchanged.
    public func withPixelBytes() -> Self {
      var bytes = [UInt8](repeating: 0, count: features.count)
      for (i, f) in features.enumerated() {
        guard f >= 0, f <= 1 else { return self }
        let b = UInt8((f * 255).rounded())
        guard Float(b) / 255 == f else { return self }
        bytes[i] = b
      }
      var s = self
      s.pixelBytes = bytes
      return s
    }
  }

  /// Pixel layout of image datasets, so receptive fields can be drawn (`rows*cols == featureCount`).
  public struct ImageShape: Sendable, Equatable {
    public var rows: Int
    public var cols: Int
    public init(rows: Int, cols: Int) {
      self.rows = rows
      self.cols = cols
    }
  }

  /// Short name of the source, e.g. `fashion`, `mnist`, `emnist-balanced`, `covtype`, `synthetic`.
  public var name: String
  public var featureCount: Int
  public var classCount: Int
  /// Human-readable class names when known (Fashion-MNIST's "T-shirt/top", ...).
  public var classNames: [String]?
  public var imageShape: ImageShape?
  public var train: Split
  public var validation: Split?
  public var test: Split
  /// Where the data came from (file paths, or the generator and its parameters).
  public var source: String

  public init(
    name: String, featureCount: Int, classCount: Int, classNames: [String]? = nil,
    imageShape: ImageShape? = nil, train: Split, validation: Split? = nil, test: Split,
    source: String
  ) {
    self.name = name
    self.featureCount = featureCount
    self.classCount = classCount
    self.classNames = classNames
    self.imageShape = imageShape
    self.train = train
    self.validation = validation
    self.test = test
    self.source = source
  }
}
