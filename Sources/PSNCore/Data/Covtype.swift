/// UCI Forest CoverType (Blackard & Dean 1999), `covtype.data.gz` or `covtype.data`.
///
/// Each line holds 55 comma-separated integers: 10 continuous cartographic measurements
/// (elevation, aspect, slope, distances, hillshades), 4 binary wilderness-area indicators,
/// 40 binary soil-type indicators, and the cover type 1...7 (stored here as 0...6).
///
/// The file has no train/test split of its own, so psn fixes one: 20% of the rows, drawn with
/// `PSNRandom(seed: 0, stream: "data.covtype.test")`, are the test set on every run whatever the
/// request's seed, so results from different seeds are scored on the same rows.
enum Covtype {
  static let featureCount = 54
  /// Features 0..<10 are continuous and standardised; 10..<54 are 0/1 indicators left as they are.
  static let continuousCount = 10
  static let testFraction = 0.2
  static let testStream = (seed: UInt64(0), stream: "data.covtype.test")

  static let classNames = [
    "Spruce/Fir", "Lodgepole Pine", "Ponderosa Pine", "Cottonwood/Willow", "Aspen", "Douglas-fir",
    "Krummholz",
  ]

  static let location = DataLocation(
    dataset: "covtype", files: ["covtype.data.gz"], folder: "covtype",
    fix: "download covtype.data.gz (UCI Machine Learning Repository, dataset 31 \"Covertype\") "
      + "into $PSN_DATA/covtype (or $PSN_DATA) and set PSN_DATA, or pass dir=DIR")

  /// Reads the file and splits off the fixed test set. Features are raw: `standardize` runs
  /// after the validation split so its statistics come from the final training rows only.
  static func load(directory: String?, environment: [String: String]) throws(DataError) -> Dataset {
    let path = try location.find(directory: directory, environment: environment)[0]
    let all = try parse(FileBytes.readMaybeGzipped(path), file: path)
    guard all.count >= 2 else {
      throw .corrupt(file: path, problem: "has \(all.count) data rows; a train/test split needs 2")
    }
    let testCount = min(max(1, Int((testFraction * Double(all.count)).rounded())), all.count - 1)
    var random = PSNRandom(seed: testStream.seed, stream: testStream.stream)
    let (test, train) = all.partition(
      choosing: random.sample(testCount, from: all.count), featureCount: featureCount)
    return Dataset(
      name: "covtype", featureCount: featureCount, classCount: classNames.count,
      classNames: classNames, train: train, test: test, source: path)
  }

  /// Standardises the continuous features of every split with the training split's mean and
  /// population standard deviation: x ← (x − μ) / σ (σ = 1 for a constant column).
  static func standardize(_ data: inout Dataset) {
    let f = featureCount
    let n = data.train.count
    var mean = [Double](repeating: 0, count: continuousCount)
    var sumSquares = [Double](repeating: 0, count: continuousCount)
    for i in 0..<n {
      for j in 0..<continuousCount { mean[j] += Double(data.train.features[i * f + j]) }
    }
    for j in 0..<continuousCount { mean[j] /= Double(n) }
    for i in 0..<n {
      for j in 0..<continuousCount {
        let d = Double(data.train.features[i * f + j]) - mean[j]
        sumSquares[j] += d * d
      }
    }
    let scale = sumSquares.map { s in
      let sigma = (s / Double(n)).squareRoot()
      return sigma > 0 ? 1 / sigma : 1
    }
    func apply(_ split: inout Dataset.Split) {
      for i in 0..<split.count {
        for j in 0..<continuousCount {
          let x = Double(split.features[i * f + j])
          split.features[i * f + j] = Float((x - mean[j]) * scale[j])
        }
      }
    }
    apply(&data.train)
    apply(&data.test)
    if data.validation != nil { apply(&data.validation!) }
  }
}
