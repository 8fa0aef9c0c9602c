extension Dataset.Split {
  /// Separates the samples at `chosen` (ascending, distinct) from the rest; both parts keep the
  /// original sample order.
  func partition(choosing chosen: [Int], featureCount f: Int) -> (chosen: Self, rest: Self) {
    var isChosen = [Bool](repeating: false, count: count)
    for i in chosen { isChosen[i] = true }
    var picked = Self(features: [], labels: [])
    var rest = Self(features: [], labels: [])
    picked.features.reserveCapacity(chosen.count * f)
    picked.labels.reserveCapacity(chosen.count)
    rest.features.reserveCapacity((count - chosen.count) * f)
    rest.labels.reserveCapacity(count - chosen.count)
    if pixelBytes != nil {
      picked.pixelBytes = []
      rest.pixelBytes = []
    }
    for i in 0..<count {
      let row = features[(i * f)..<((i + 1) * f)]
      let bytes = pixelBytes?[(i * f)..<((i + 1) * f)]
      if isChosen[i] {
        picked.features.append(contentsOf: row)
        picked.labels.append(labels[i])
        if let bytes { picked.pixelBytes!.append(contentsOf: bytes) }
      } else {
        rest.features.append(contentsOf: row)
        rest.labels.append(labels[i])
        if let bytes { rest.pixelBytes!.append(contentsOf: bytes) }
      }
    }
    return (picked, rest)
  }
}

extension Dataset {
  /// Moves a random subset of the training samples into `validation`.
  ///
  /// The subset is `PSNRandom(seed: seed, stream: "data.split").sample(k, from: train.count)`:
  /// the same seed and training set always give the same validation samples.
  mutating func carveValidation(_ split: ValidationSplit, seed: UInt64) throws(DataError) {
    let k = try split.count(outOf: train.count)
    guard k > 0 else { return }
    var random = PSNRandom(seed: seed, stream: "data.split")
    let chosen = random.sample(k, from: train.count)
    (validation, train) = train.partition(choosing: chosen, featureCount: featureCount)
  }
}
