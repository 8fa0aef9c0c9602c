/// A labelled classification dataset held in memory, split into train / (validation) / test.
///
/// Features are `Float`, stored sample-major: sample `n`'s features are
/// `features[n*featureCount ..< (n+1)*featureCount]`. Labels are class indices in `0..<classCount`.
public struct Dataset: Sendable {
  /// One part of a dataset (train, validation or test).
  public struct Split: Sendable, Equatable {
    public var features: [Float]
    public var labels: [Int32]
    public var count: Int { labels.count }

    public init(features: [Float], labels: [Int32]) {
      self.features = features
      self.labels = labels
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
