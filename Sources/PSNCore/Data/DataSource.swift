/// Which dataset to load. See docs/data.md for each source's files, preprocessing and splits.
public enum DataSource: Sendable, Equatable {
  /// Fashion-MNIST (Zalando): 60000 + 10000 28×28 grey images of clothing, 10 classes.
  case fashion
  /// MNIST handwritten digits: 60000 + 10000 28×28 images, 10 classes.
  case mnist
  /// EMNIST (Cohen et al. 2017) handwritten characters, one of its six splits.
  case emnist(split: EMNISTSplit)
  /// UCI Forest CoverType: 581012 rows of 54 cartographic features, 7 cover types.
  case covtype
  /// A seeded Gaussian-cluster classification task (see `SyntheticSpec`).
  case synthetic(SyntheticSpec)

  /// The source without its parameters: the word after `load` in the shell.
  public var kind: DataSourceKind {
    switch self {
    case .fashion: .fashion
    case .mnist: .mnist
    case .emnist: .emnist
    case .covtype: .covtype
    case .synthetic: .synthetic
    }
  }

  /// The short name datasets carry (`Dataset.name`): `fashion`, `emnist-letters`, ...
  public var name: String {
    switch self {
    case .fashion: "fashion"
    case .mnist: "mnist"
    case .emnist(let split): "emnist-\(split.rawValue)"
    case .covtype: "covtype"
    case .synthetic: "synthetic"
    }
  }
}

/// The sources by name, for completing and validating `load WORD`.
public enum DataSourceKind: String, CaseIterable, Sendable {
  case fashion, mnist, emnist, covtype, synthetic
}

/// The six EMNIST splits, spelled as in the file names (`emnist-<split>-train-images-...`).
///
/// An enum rather than a string so the shell can complete and validate `split=` from
/// `allCases`, and so each split's class list is fixed here once.
public enum EMNISTSplit: String, CaseIterable, Sendable {
  case balanced, byclass, bymerge, digits, letters, mnist

  /// Class names in label order, from the EMNIST mapping files (`emnist-<split>-mapping.txt`).
  ///
  /// `byclass` keeps all 62 characters; `bymerge` and `balanced` merge the 15 lowercase letters
  /// that look like their capitals (c i j k l m o p s u v w x y z), leaving 47; `letters` merges
  /// each letter's two cases into one class.
  public var classNames: [String] {
    let digits = (0..<10).map(String.init)
    let upper = Self.letters("A", count: 26)
    let lower = Self.letters("a", count: 26)
    switch self {
    case .digits, .mnist: return digits
    case .letters: return zip(upper, lower).map { $0 + $1 }
    case .byclass: return digits + upper + lower
    case .bymerge, .balanced:
      return digits + upper + ["a", "b", "d", "e", "f", "g", "h", "n", "q", "r", "t"]
    }
  }

  /// The label stored in the file for class 0: `letters` numbers its classes 1...26.
  var firstLabel: Int { self == .letters ? 1 : 0 }

  private static func letters(_ first: Unicode.Scalar, count: Int) -> [String] {
    (0..<count).map { String(Character(Unicode.Scalar(first.value + UInt32($0))!)) }
  }
}
