/// Everything `DataLoader.load` needs: what to load, where from, and how to split it.
///
/// Shell keys: `dir=` → `directory`, `val=` → `validation`, `seed=` → `seed`.
public struct DataRequest: Sendable, Equatable {
  public var source: DataSource
  /// A directory holding the source's files directly. When nil, `$PSN_DATA` is searched (and,
  /// for Fashion-MNIST, the Debian package's directory); see docs/data.md.
  public var directory: String?
  /// How much of the training set to hold out for validation (default: none).
  public var validation: ValidationSplit
  /// Seeds the validation split and the synthetic generator. Test sets never depend on it.
  public var seed: UInt64

  public init(
    _ source: DataSource, directory: String? = nil, validation: ValidationSplit = .none,
    seed: UInt64 = 0
  ) {
    self.source = source
    self.directory = directory
    self.validation = validation
    self.seed = seed
  }
}

/// The validation set carved out of the training set: a random subset of its samples, chosen
/// with `PSNRandom(seed:, stream: "data.split")`, removed from training.
public enum ValidationSplit: Sendable, Equatable {
  case none
  /// A fraction of the training samples in [0, 1), rounded to the nearest count.
  case fraction(Double)
  /// An exact number of training samples.
  case count(Int)

  /// Parses a shell value: `0.1` is a fraction, `5000` a count, `0` none.
  ///
  /// A value with a decimal point or below 1 is a fraction, a whole number ≥ 1 a count.
  public init(parsing text: String) throws(DataError) {
    if let count = Int(text), count >= 0 {
      self = count == 0 ? .none : .count(count)
    } else if let fraction = Double(text), fraction >= 0, fraction < 1 {
      self = fraction == 0 ? .none : .fraction(fraction)
    } else {
      throw .badParameter(
        name: "val", value: text,
        expected: "a fraction in [0, 1) such as 0.1, or a whole number of samples such as 5000")
    }
  }

  /// Rejects a fraction outside [0, 1) or a negative count before any file is read.
  func validate() throws(DataError) {
    switch self {
    case .none:
      break
    case .fraction(let f):
      guard f >= 0, f < 1 else {
        throw .badParameter(name: "val", value: "\(f)", expected: "a fraction in [0, 1)")
      }
    case .count(let k):
      guard k >= 0 else {
        throw .badParameter(
          name: "val", value: "\(k)", expected: "a count ≥ 0, or a fraction in [0, 1)")
      }
    }
  }

  /// The number of validation samples taken from `trainCount` training samples; at least one
  /// training sample must remain.
  func count(outOf trainCount: Int) throws(DataError) -> Int {
    try validate()
    switch self {
    case .none:
      return 0
    case .fraction(let f):
      return min(Int((f * Double(trainCount)).rounded()), trainCount - 1)
    case .count(let k):
      guard k < trainCount else {
        throw .badParameter(
          name: "val", value: "\(k)",
          expected: "a count below the \(trainCount) training samples, or a fraction in [0, 1)")
      }
      return k
    }
  }
}
