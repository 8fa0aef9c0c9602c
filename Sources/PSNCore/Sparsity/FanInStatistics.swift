#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif

/// Summary of a layer's fan-ins k_1 … k_n (k_j = number of inputs of neuron j), as every part of
/// psn reports it. Definitions (docs/profiles.md, "Statistics"):
///
/// - mean = Σk / n; std = √(Σ (k − mean)² / n), the *population* standard deviation (divisor n:
///   the layer's neurons are the whole population, not a sample of it), computed exactly from
///   integer sums;
/// - CV = std / mean;
/// - Gini = Σ_i Σ_j |k_i − k_j| / (2 n² · mean): the mean absolute difference over all ordered
///   pairs, halved and divided by the mean; 0 when all fan-ins are equal, (n − 1)/n when one neuron
///   has everything. Computed exactly in integers from the sorted values:
///   Σ_i Σ_j |k_i − k_j| = 2 Σ_i (2i − n + 1) k_(i) with k_(0) ≤ … ≤ k_(n−1).
///
/// CV and Gini are 0 when the mean is 0 (no connections); every field is 0 for an empty list.
public struct FanInStatistics: Sendable, Equatable {
  public let count: Int
  public let total: Int
  public let mean: Double
  public let std: Double
  public let cv: Double
  public let gini: Double
  public let min: Int
  public let max: Int

  public init(_ fanIns: [Int]) {
    let sorted = fanIns.sorted()
    let n = sorted.count
    count = n
    total = sorted.reduce(0, +)
    min = sorted.first ?? 0
    max = sorted.last ?? 0
    (mean, std) = Self.meanAndStd(fanIns)
    cv = mean > 0 ? std / mean : 0
    var weightedSum = 0
    for (i, k) in sorted.enumerated() { weightedSum += (2 * i - n + 1) * k }
    gini = total > 0 ? Double(weightedSum) / (Double(n) * Double(total)) : 0
  }

  /// The fan-ins of every neuron of `mask`.
  public init(_ mask: Mask) { self.init(mask.fanIns) }

  /// CV = std / mean alone, for callers that need nothing else (the profile solver's inner loop).
  public static func cv(of fanIns: [Int]) -> Double {
    let (mean, std) = meanAndStd(fanIns)
    return mean > 0 ? std / mean : 0
  }

  /// mean and population std from exact integer sums: n²·var = n·Σk² − (Σk)² is computed in
  /// 128-bit integers, so the result does not depend on the order of the fan-ins and is exactly 0
  /// when they are all equal.
  private static func meanAndStd(_ k: [Int]) -> (mean: Double, std: Double) {
    guard !k.isEmpty else { return (0, 0) }
    var sum: Int128 = 0
    var sumOfSquares: Int128 = 0
    for v in k {
      sum += Int128(v)
      sumOfSquares += Int128(v) * Int128(v)
    }
    let n = Double(k.count)
    let scaledVariance = Int128(k.count) * sumOfSquares - sum * sum
    return (Double(sum) / n, Double(scaledVariance).squareRoot() / n)
  }
}

// MARK: - Histogram

extension FanInStatistics {
  /// Counts of fan-ins in integer bins of equal width covering [min, max].
  ///
  /// With S = max − min + 1 distinct possible values and at most `binCount` bins, each bin spans
  /// w = ⌈S / binCount⌉ integers: [min + b·w, min + (b+1)·w − 1] for b = 0 … ⌈S/w⌉ − 1. When
  /// S ≤ binCount that is one bin per integer value, so small fan-ins are never split oddly.
  /// The last bin keeps width w even if it reaches past max.
  public struct Histogram: Sendable, Equatable {
    public struct Bin: Sendable, Equatable {
      /// Smallest fan-in in the bin.
      public let lower: Int
      /// Largest fan-in in the bin (inclusive).
      public let upper: Int
      public let count: Int
    }

    public let bins: [Bin]
    /// Integers per bin.
    public let width: Int

    /// `binCount` below 1 is taken as 1. An empty list gives no bins.
    public init(_ fanIns: [Int], binCount: Int = 20) {
      guard let lo = fanIns.min(), let hi = fanIns.max() else {
        (bins, width) = ([], 1)
        return
      }
      let span = hi - lo + 1
      let w = (span + Swift.max(binCount, 1) - 1) / Swift.max(binCount, 1)
      var counts = [Int](repeating: 0, count: (span + w - 1) / w)
      for k in fanIns { counts[(k - lo) / w] += 1 }
      width = w
      bins = counts.enumerated().map { b, count in
        Bin(lower: lo + b * w, upper: lo + (b + 1) * w - 1, count: count)
      }
    }
  }
}

// MARK: - Lognormal fit

extension FanInStatistics {
  /// Maximum-likelihood lognormal fit of the positive fan-ins: ln k ~ Normal(μ, σ²) with
  /// μ = Σ ln k / n and σ = √(Σ (ln k − μ)² / n) (divisor n: the likelihood maximum).
  ///
  /// A fan-in of 0 has no logarithm; such neurons (possible after RigL prunes a neuron bare) are
  /// left out of the fit and counted in `zeroCount`.
  public struct LognormalFit: Sendable, Equatable {
    public let mu: Double
    public let sigma: Double
    /// Number of positive fan-ins fitted.
    public let count: Int
    /// Number of zero fan-ins left out.
    public let zeroCount: Int

    /// Nil when no fan-in is positive.
    public init?(_ fanIns: [Int]) {
      let positive = fanIns.filter { $0 > 0 }
      guard let fit = try? PSNCore.LognormalFit(fitting: positive) else { return nil }
      self.mu = fit.mu
      self.sigma = fit.sigma
      self.count = fit.count
      self.zeroCount = fanIns.count - positive.count
    }

    /// The CV of the fitted lognormal law, √(e^(σ²) − 1); the inverse is σ = √(ln(1 + CV²)).
    public var cv: Double { expm1(sigma * sigma).squareRoot() }
  }
}

// MARK: - Kolmogorov–Smirnov distance

extension FanInStatistics {
  /// Two-sample Kolmogorov–Smirnov distance D = sup_v |F_a(v) − F_b(v)|, with F(v) = #{k ≤ v} / n
  /// the empirical CDF of each list.
  ///
  /// The supremum is over the pooled distinct values, and at each value v *all* copies of v in
  /// both lists are counted before comparing: fan-ins are integers with many ties, and stopping
  /// between tied copies would overstate D (Statistics.ksDistance does the work). Returns NaN
  /// when a list is empty (no CDF).
  public static func ksDistance(_ a: [Int], _ b: [Int]) -> Double {
    (try? Statistics.ksDistance(a, b)) ?? .nan
  }
}
