import Testing

@testable import PSNCore

@Suite struct DataSyntheticTests {
  func make(_ spec: SyntheticSpec = .init(), seed: UInt64 = 3) throws -> Dataset {
    try DataLoader.load(DataRequest(.synthetic(spec), seed: seed), environment: [:])
  }

  @Test func sameSeedSameArraysOtherSeedOtherArrays() throws {
    let a = try make(seed: 3)
    let b = try make(seed: 3)
    let c = try make(seed: 4)
    #expect(a.train == b.train && a.test == b.test)
    #expect(a.train.features != c.train.features)
    #expect(a.train.labels != c.train.labels)
  }

  @Test func shapesAndBalance() throws {
    let spec = SyntheticSpec(n: 1000, features: 7, classes: 3, testFraction: 0.25)
    let data = try make(spec)
    #expect(data.name == "synthetic")
    #expect(data.featureCount == 7 && data.classCount == 3)
    #expect(data.train.count == 750 && data.test.count == 250)
    #expect(data.train.features.count == 750 * 7)
    #expect(
      data.source == "synthetic n=1000 features=7 classes=3 clusters=2 informative=7 "
        + "separation=3.0 noise=1.0 test=0.25 seed=3")
    var counts = [0, 0, 0]
    for y in data.train.labels { counts[Int(y)] += 1 }
    #expect(counts == [250, 250, 250])
    #expect(data.train.features.allSatisfy { $0.isFinite })
  }

  /// Features past `informative` carry no class signal: they are N(0, noise²) for every class.
  @Test func noiseFeaturesAreCentredNoise() throws {
    let spec = SyntheticSpec(n: 20000, features: 6, informative: 2, noise: 2)
    let data = try make(spec)
    let n = data.train.count
    for j in 2..<6 {
      let x = (0..<n).map { Double(data.train.features[$0 * 6 + j]) }
      let mean = x.reduce(0, +) / Double(n)
      let variance = x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
      #expect(abs(mean) < 0.1)
      #expect(abs(variance.squareRoot() - 2) < 0.1)
    }
  }

  /// The task is learnable: each test sample's nearest class centroid (estimated from the
  /// training set) is usually its own class. Guards against labels shuffled apart from features.
  @Test func nearestCentroidBeatsChance() throws {
    let data = try make(SyntheticSpec(n: 4000, clusters: 1))
    let f = data.featureCount
    var centroid = [Double](repeating: 0, count: data.classCount * f)
    var counts = [Double](repeating: 0, count: data.classCount)
    for i in 0..<data.train.count {
      let y = Int(data.train.labels[i])
      counts[y] += 1
      for j in 0..<f { centroid[y * f + j] += Double(data.train.features[i * f + j]) }
    }
    for y in 0..<data.classCount { for j in 0..<f { centroid[y * f + j] /= counts[y] } }
    var correct = 0
    for i in 0..<data.test.count {
      let distances = (0..<data.classCount).map { y in
        (0..<f).map { j in
          let d = Double(data.test.features[i * f + j]) - centroid[y * f + j]
          return d * d
        }.reduce(0, +)
      }
      if distances.firstIndex(of: distances.min()!) == Int(data.test.labels[i]) { correct += 1 }
    }
    #expect(Double(correct) / Double(data.test.count) > 0.8)
  }

  @Test(arguments: [
    (
      SyntheticSpec(n: 1),
      "n=1: out of range (should be at least 2: one training and one test sample)"
    ),
    (SyntheticSpec(features: 0), "features=0: out of range (should be at least 1)"),
    (SyntheticSpec(classes: 1), "classes=1: out of range (should be at least 2)"),
    (SyntheticSpec(clusters: 0), "clusters=0: out of range (should be at least 1)"),
    (
      SyntheticSpec(features: 5, informative: 6),
      "informative=6: out of range (should be between 1 and features=5)"
    ),
    (SyntheticSpec(separation: -1), "separation=-1.0: out of range (should be a number ≥ 0)"),
    (SyntheticSpec(noise: 0), "noise=0.0: out of range (should be a number > 0)"),
    (SyntheticSpec(noise: .nan), "noise=nan: out of range (should be a number > 0)"),
    (SyntheticSpec(testFraction: 1), "test=1.0: out of range (should be a fraction in (0, 1))"),
    (
      SyntheticSpec(n: 1 << 40, features: 1),
      "n=1099511627776: out of range (should be such that n × features ≤ 268435456 (with features=1))"
    ),
  ])
  func badParameters(spec: SyntheticSpec, message: String) {
    let error = #expect(throws: DataError.self) { try make(spec) }
    #expect(error?.description == message)
  }
}
