/// What identifies a loaded dataset without storing it: sample counts per split, widths, and an
/// XXH64 hash of each split's features and of its labels.
///
/// A workspace saves the `DataRequest` that loads a dataset plus this fingerprint instead of the
/// data (Fashion-MNIST is ~220 MB as Float). After `open`, the shell loads the request again and
/// calls ``verify(_:name:)``: if a file changed since the save, the run histories and models no
/// longer describe that data, and the user is told so instead of silently training on other data.
///
/// Hashes are of the little-endian bytes of `features` (Float, sample-major) and `labels`
/// (Int32), exactly as held in memory after loading (so after the validation split and any
/// standardisation), which is what training sees.
public struct DatasetFingerprint: Sendable, Equatable, Codable {
  /// One split: its sample count and the hashes of its two arrays.
  public struct Part: Sendable, Equatable {
    public var count: Int
    public var featuresHash: UInt64
    public var labelsHash: UInt64

    public init(count: Int, featuresHash: UInt64, labelsHash: UInt64) {
      self.count = count
      self.featuresHash = featuresHash
      self.labelsHash = labelsHash
    }

    public init(_ split: Dataset.Split) {
      self.init(
        count: split.count, featuresHash: XXHash64.hash(littleEndianOf: split.features),
        labelsHash: XXHash64.hash(littleEndianOf: split.labels))
    }
  }

  public var featureCount: Int
  public var classCount: Int
  public var train: Part
  public var validation: Part?
  public var test: Part

  public init(featureCount: Int, classCount: Int, train: Part, validation: Part?, test: Part) {
    self.featureCount = featureCount
    self.classCount = classCount
    self.train = train
    self.validation = validation
    self.test = test
  }

  /// Fingerprints `dataset` (one pass over its bytes).
  public init(_ dataset: Dataset) {
    self.init(
      featureCount: dataset.featureCount, classCount: dataset.classCount,
      train: Part(dataset.train), validation: dataset.validation.map(Part.init),
      test: Part(dataset.test))
  }

  /// Throws, naming the first difference, unless `dataset` is the data this fingerprint was
  /// taken of.
  public func verify(_ dataset: Dataset, name: String) throws(DatasetFingerprintMismatch) {
    let now = DatasetFingerprint(dataset)
    func differ(_ detail: String) -> DatasetFingerprintMismatch {
      DatasetFingerprintMismatch(dataset: name, detail: detail)
    }
    if now.featureCount != featureCount {
      throw differ("\(now.featureCount) features per sample, \(featureCount) when saved")
    }
    if now.classCount != classCount {
      throw differ("\(now.classCount) classes, \(classCount) when saved")
    }
    let parts: [(String, Part?, Part?)] = [
      ("training", now.train, train), ("validation", now.validation, validation),
      ("test", now.test, test),
    ]
    for (split, current, saved) in parts {
      switch (current, saved) {
      case (nil, nil):
        continue
      case (nil, let saved?):
        throw differ("no \(split) split, \(saved.count) samples when saved")
      case (let current?, nil):
        throw differ("a \(split) split of \(current.count) samples, none when saved")
      case (let current?, let saved?):
        if current.count != saved.count {
          throw differ("\(current.count) \(split) samples, \(saved.count) when saved")
        }
        if current.featuresHash != saved.featuresHash {
          throw differ(
            "the \(split) features differ (\(split) hash \(hex(current.featuresHash)) now, \(hex(saved.featuresHash)) when saved)"
          )
        }
        if current.labelsHash != saved.labelsHash {
          throw differ(
            "the \(split) labels differ (\(split) hash \(hex(current.labelsHash)) now, \(hex(saved.labelsHash)) when saved)"
          )
        }
      }
    }
  }
}

/// The data loaded now are not the data a workspace was saved with.
public struct DatasetFingerprintMismatch: Error, CustomStringConvertible, Equatable, Sendable {
  public var dataset: String
  /// The first difference, e.g. "59000 training samples, 60000 when saved".
  public var detail: String

  public var description: String {
    "dataset '\(dataset)': the data loaded now differ from the data the workspace was saved "
      + "with: \(detail) (the files changed since the save: restore them, or load the data "
      + "again under a new name)"
  }
}

/// 16 hex digits, as hashes are written in manifest.json.
func hex(_ value: UInt64) -> String {
  let digits = String(value, radix: 16)
  return String(repeating: "0", count: 16 - digits.count) + digits
}
