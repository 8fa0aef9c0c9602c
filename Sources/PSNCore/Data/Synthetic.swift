/// Parameters of the synthetic classification task; each property's shell key is in brackets.
///
/// The task is a Gaussian mixture. Each class owns `clusters` centres μ in feature space; only
/// the first `informative` coordinates of a centre are non-zero, each drawn N(0, s²/informative)
/// with s = `separation`, so a centre lies at distance ≈ s from the origin and two centres
/// ≈ s·√2 apart. A sample of class y picks one of y's clusters uniformly and is
///
///     x = μ + noise · ε,   ε ~ N(0, I_features).
///
/// Along the line joining two centres the clusters are ≈ s·√2 / noise standard deviations apart.
/// Several clusters per class make the classes non-convex, so a linear model falls short and an
/// MLP's hidden layers earn their keep; features beyond `informative` are pure noise an input
/// mask can learn to ignore.
public struct SyntheticSpec: Sendable, Equatable {
  /// Samples in train + test together [`n=`].
  public var n: Int
  /// Input features [`features=`].
  public var features: Int
  /// Classes, balanced to within one sample in each split [`classes=`].
  public var classes: Int
  /// Gaussian clusters per class [`clusters=`].
  public var clusters: Int
  /// Leading features that carry class information; nil means all of them [`informative=`].
  public var informative: Int?
  /// Typical distance of a cluster centre from the origin, in feature units [`separation=`].
  public var separation: Double
  /// Standard deviation of every feature around its cluster centre [`noise=`].
  public var noise: Double
  /// Fraction of the `n` samples that form the test set [`test=`].
  public var testFraction: Double

  public init(
    n: Int = 2000, features: Int = 20, classes: Int = 4, clusters: Int = 2,
    informative: Int? = nil, separation: Double = 3, noise: Double = 1, testFraction: Double = 0.2
  ) {
    self.n = n
    self.features = features
    self.classes = classes
    self.clusters = clusters
    self.informative = informative
    self.separation = separation
    self.noise = noise
    self.testFraction = testFraction
  }

  /// The largest `n × features` generated, so a typo cannot exhaust memory (1 GiB of Float).
  public static let maxValues = 1 << 28

  var informativeCount: Int { informative ?? features }
  var testCount: Int { min(max(1, Int((testFraction * Double(n)).rounded())), n - 1) }

  /// Checks every parameter, naming the first one out of range by its shell key.
  func validate() throws(DataError) {
    func require(_ ok: Bool, _ key: String, _ value: String, _ expected: String) throws(DataError) {
      if !ok { throw .badParameter(name: key, value: value, expected: expected) }
    }
    try require(n >= 2, "n", "\(n)", "at least 2: one training and one test sample")
    try require(features >= 1, "features", "\(features)", "at least 1")
    try require(classes >= 2, "classes", "\(classes)", "at least 2")
    try require(clusters >= 1, "clusters", "\(clusters)", "at least 1")
    try require(
      informativeCount >= 1 && informativeCount <= features, "informative", "\(informativeCount)",
      "between 1 and features=\(features)")
    try require(
      separation.isFinite && separation >= 0, "separation", "\(separation)", "a number ≥ 0")
    try require(noise.isFinite && noise > 0, "noise", "\(noise)", "a number > 0")
    try require(
      testFraction > 0 && testFraction < 1, "test", "\(testFraction)", "a fraction in (0, 1)")
    let (values, overflow) = n.multipliedReportingOverflow(by: features)
    try require(
      !overflow && values <= Self.maxValues, "n", "\(n)",
      "such that n × features ≤ \(Self.maxValues) (with features=\(features))")
  }

  /// The parameters as shell keys, for `Dataset.source`.
  var summary: String {
    "n=\(n) features=\(features) classes=\(classes) clusters=\(clusters) "
      + "informative=\(informativeCount) separation=\(separation) noise=\(noise) test=\(testFraction)"
  }
}

enum Synthetic {
  /// Generates the task for `seed`: the same spec and seed give bit-identical arrays.
  ///
  /// Centres come from stream `data.synthetic.centers` and samples (train first, then test)
  /// from `data.synthetic.samples`, so changing `n` keeps the same centres: the same task,
  /// more or fewer draws from it.
  static func generate(_ spec: SyntheticSpec, seed: UInt64) throws(DataError) -> Dataset {
    try spec.validate()
    let inf = spec.informativeCount
    var centerRandom = PSNRandom(seed: seed, stream: "data.synthetic.centers")
    let centerScale = spec.separation / Double(inf).squareRoot()
    // centers[(class * clusters + k) * inf + j]
    let centers = (0..<(spec.classes * spec.clusters * inf)).map { _ in
      centerScale * centerRandom.nextNormal()
    }

    var random = PSNRandom(seed: seed, stream: "data.synthetic.samples")
    func draw(_ count: Int) -> Dataset.Split {
      var labels = (0..<count).map { Int32($0 % spec.classes) }
      random.shuffle(&labels)
      var features = [Float](repeating: 0, count: count * spec.features)
      for i in 0..<count {
        let cluster = Int(labels[i]) * spec.clusters + random.nextInt(below: spec.clusters)
        for j in 0..<spec.features {
          let mu = j < inf ? centers[cluster * inf + j] : 0
          features[i * spec.features + j] = Float(mu + spec.noise * random.nextNormal())
        }
      }
      return .init(features: features, labels: labels)
    }
    let train = draw(spec.n - spec.testCount)
    let test = draw(spec.testCount)
    return Dataset(
      name: "synthetic", featureCount: spec.features, classCount: spec.classes, train: train,
      test: test, source: "synthetic \(spec.summary) seed=\(seed)")
  }
}
