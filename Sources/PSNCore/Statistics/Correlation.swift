/// A correlation coefficient with its two-sided p-value.
public struct Correlation: Sendable, Equatable {
  /// The coefficient, in [−1, 1].
  public let r: Double
  /// P(|R| ≥ |r|) under no correlation, from t = r √((n−2)/(1−r²)) with n − 2 degrees of freedom.
  public let pValue: Double
  /// Number of (x, y) pairs.
  public let count: Int

  /// Derives the p-value from r; 0 when |r| = 1 (t is infinite).
  init(r: Double, count: Int) throws {
    self.r = r
    self.count = count
    let oneMinusRSquared = (1 - r) * (1 + r)  // better than 1 − r² when |r| ≈ 1
    if oneMinusRSquared <= 0 {
      pValue = 0
    } else {
      let t = r * (Double(count - 2) / oneMinusRSquared).squareRoot()
      pValue = try StudentT(degreesOfFreedom: Double(count - 2)).twoSidedPValue(t)
    }
  }
}

extension Statistics {
  /// Pearson's product-moment correlation (scipy `pearsonr`):
  ///   r = Σ (xᵢ − x̄)(yᵢ − ȳ) / √(Σ (xᵢ − x̄)² · Σ (yᵢ − ȳ)²),
  /// with the p-value of t = r √((n−2)/(1−r²)) on n − 2 degrees of freedom.
  /// Needs n ≥ 3 pairs (with 2, r = ±1 always and there are no degrees of freedom); throws
  /// ``StatisticsError/constantSeries(statistic:series:)`` when either series is constant.
  public static func pearson(_ x: [Double], _ y: [Double]) throws -> Correlation {
    try correlation(x, y, for: "Pearson r")
  }

  /// Spearman's rank correlation (scipy `spearmanr`): Pearson's r of the ranks, where tied values
  /// share the average of the ranks they span; p-value as for ``pearson(_:_:)`` with n − 2
  /// degrees of freedom. Same requirements as ``pearson(_:_:)``.
  public static func spearman(_ x: [Double], _ y: [Double]) throws -> Correlation {
    let name = "Spearman rho"
    try validatePairs(x, y, for: name)
    try validate(x, atLeast: 3, for: name)
    try validate(y, atLeast: 3, for: name)
    return try correlation(ranks(x), ranks(y), for: name)
  }

  /// 1-based ranks; a run of k equal values at positions i…i+k−1 of the sorted order all get
  /// i + (k−1)/2.
  static func ranks(_ values: [Double]) -> [Double] {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var ranks = [Double](repeating: 0, count: values.count)
    var start = 0
    while start < order.count {
      var end = start + 1
      while end < order.count, values[order[end]] == values[order[start]] { end += 1 }
      let averageRank = Double(start + end + 1) / 2  // mean of start+1 … end
      for k in start..<end { ranks[order[k]] = averageRank }
      start = end
    }
    return ranks
  }

  private static func correlation(_ x: [Double], _ y: [Double], for name: String) throws
    -> Correlation
  {
    try validatePairs(x, y, for: name)
    try validate(x, atLeast: 3, for: name)
    try validate(y, atLeast: 3, for: name)
    if isConstant(x) { throw StatisticsError.constantSeries(statistic: name, series: "first") }
    if isConstant(y) { throw StatisticsError.constantSeries(statistic: name, series: "second") }
    let mx = mean(ofValidated: x)
    let my = mean(ofValidated: y)
    var sxy = 0.0
    var sxx = 0.0
    var syy = 0.0
    for (xi, yi) in zip(x, y) {
      sxy += (xi - mx) * (yi - my)
      sxx += (xi - mx) * (xi - mx)
      syy += (yi - my) * (yi - my)
    }
    let r = max(-1, min(1, sxy / (sxx * syy).squareRoot()))
    return try Correlation(r: r, count: x.count)
  }
}
