extension Statistics {
  /// The two-sample Kolmogorov–Smirnov distance D = sup_v |F_a(v) − F_b(v)| (scipy
  /// `ks_2samp(a, b).statistic`), where F(v) = #{xᵢ ≤ v} / n is each sample's empirical CDF.
  ///
  /// The supremum is taken over the pooled distinct values, stepping past *all* copies of a value
  /// in both samples before comparing: fan-ins are integers with many ties, and comparing between
  /// copies of a tied value would overstate D. Each sample needs at least one value.
  public static func ksDistance<T: BinaryInteger>(_ a: [T], _ b: [T]) throws -> Double {
    try ksDistance(a.map { Double($0) }, b.map { Double($0) })
  }

  /// ``ksDistance(_:_:)`` for real values, which must be finite.
  public static func ksDistance(_ a: [Double], _ b: [Double]) throws -> Double {
    let name = "Kolmogorov-Smirnov distance"
    try validate(a, atLeast: 1, for: name)
    try validate(b, atLeast: 1, for: name)
    let a = a.sorted()
    let b = b.sorted()
    let (na, nb) = (Double(a.count), Double(b.count))
    var (i, j) = (0, 0)
    var distance = 0.0
    // Once one sample is used up its CDF is 1 and the other's only climbs toward 1, so the
    // supremum has been seen by then.
    while i < a.count, j < b.count {
      let v = min(a[i], b[j])
      while i < a.count, a[i] == v { i += 1 }
      while j < b.count, b[j] == v { j += 1 }
      distance = max(distance, abs(Double(i) / na - Double(j) / nb))
    }
    return distance
  }
}
