import Testing

@testable import PSNCore

/// Inputs for which a statistic is undefined throw a ``StatisticsError`` with a fixed message,
/// never NaN.
@Suite struct StatisticsEdgeCaseTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var testDescription: String
    var run: @Sendable () throws -> Void
    var message: String
  }

  static let cases: [Case] = [
    Case(
      testDescription: "summary of one value", run: { _ = try SampleSummary([0.9]) },
      message:
        "sample summary: needs at least 2 values, got 1 (collect more samples, e.g. run more seeds)"
    ),
    Case(
      testDescription: "mean of nothing", run: { _ = try Statistics.mean([]) },
      message: "mean: needs at least 1 values, got 0 (collect more samples, e.g. run more seeds)"),
    Case(
      testDescription: "NaN in a sample", run: { _ = try SampleSummary([0.9, .nan, 0.8]) },
      message: "sample summary: value #2 is nan (drop diverged runs or fix the input)"),
    Case(
      testDescription: "Welch with both samples constant",
      run: { _ = try Statistics.welchTTest([1, 1], [2, 2]) },
      message:
        "Welch t-test: undefined because the values do not vary (every value within each sample is equal; compare the means directly)"
    ),
    Case(
      testDescription: "Welch with one value", run: { _ = try Statistics.welchTTest([1], [2, 3]) },
      message:
        "Welch t-test: needs at least 2 values, got 1 (collect more samples, e.g. run more seeds)"),
    Case(
      testDescription: "Student with both samples constant",
      run: { _ = try Statistics.studentTTest([3, 3, 3], [3, 3]) },
      message:
        "Student t-test: undefined because the values do not vary (every value within each sample is equal; compare the means directly)"
    ),
    Case(
      testDescription: "Cohen's d with zero pooled SD",
      run: { _ = try Statistics.cohensD([0.5, 0.5], [0.7, 0.7]) },
      message:
        "Cohen's d: undefined because the values do not vary (every value within each sample is equal; compare the means directly)"
    ),
    Case(
      testDescription: "paired lengths differ",
      run: { _ = try Statistics.pairedTTest([1, 2], [1, 2, 3]) },
      message:
        "paired t-test: the two samples have 2 and 3 values (pair each value with exactly one value of the other sample)"
    ),
    Case(
      testDescription: "paired constant differences",
      run: { _ = try Statistics.pairedTTest([1, 2, 3], [0.5, 1.5, 2.5]) },
      message:
        "paired t-test: undefined because the values do not vary (every value within each sample is equal; compare the means directly)"
    ),
    Case(
      testDescription: "Pearson with a constant series",
      run: { _ = try Statistics.pearson([1, 2, 3], [0.1, 0.1, 0.1]) },
      message:
        "Pearson r: undefined because the second series is constant (a correlation needs variation in both series)"
    ),
    Case(
      testDescription: "Spearman with a constant series",
      run: { _ = try Statistics.spearman([4, 4, 4, 4], [1, 2, 3, 4]) },
      message:
        "Spearman rho: undefined because the first series is constant (a correlation needs variation in both series)"
    ),
    Case(
      testDescription: "Pearson with two pairs",
      run: { _ = try Statistics.pearson([1, 2], [3, 4]) },
      message:
        "Pearson r: needs at least 3 values, got 2 (collect more samples, e.g. run more seeds)"),
    Case(
      testDescription: "KS with an empty sample",
      run: { _ = try Statistics.ksDistance([Int](), [1]) },
      message:
        "Kolmogorov-Smirnov distance: needs at least 1 values, got 0 (collect more samples, e.g. run more seeds)"
    ),
    Case(
      testDescription: "lognormal fit of a zero",
      run: { _ = try LognormalFit(fitting: [3, 0, 5]) },
      message:
        "lognormal fit: value #2 is 0.0 (a lognormal needs positive values; drop zeros before fitting)"
    ),
    Case(
      testDescription: "t with zero degrees of freedom",
      run: { _ = try StudentT(degreesOfFreedom: 0) },
      message:
        "Student t distribution: degrees of freedom = 0.0 is out of range (must be a positive finite number)"
    ),
    Case(
      testDescription: "t quantile of 1.5",
      run: { _ = try StudentT(degreesOfFreedom: 3).quantile(1.5) },
      message: "Student t quantile: probability = 1.5 is out of range (must be between 0 and 1)"),
    Case(
      testDescription: "confidence level of 95",
      run: { _ = try SampleSummary([1, 2, 3]).confidenceInterval(level: 95) },
      message:
        "confidence interval: level = 95.0 is out of range (must be strictly between 0 and 1, e.g. 0.95)"
    ),
  ]

  @Test(arguments: cases) func throwsWithMessage(_ c: Case) {
    #expect {
      try c.run()
    } throws: { error in
      (error as? StatisticsError)?.description == c.message
    }
    do {
      try c.run()
    } catch {
      #expect("\(error)" == c.message)
    }
  }

  @Test func oneConstantSampleIsFineForWelch() throws {
    // The constant sample contributes no variance; ν falls back to the other sample's n − 1.
    let result = try Statistics.welchTTest([0.5, 0.5, 0.5], [0.52, 0.55, 0.49, 0.58])
    #expect(abs(result.degreesOfFreedom - 3) < 1e-12)
    #expect(result.pValue > 0 && result.pValue < 1)
  }

  @Test func perfectCorrelationHasZeroPValue() throws {
    let c = try Statistics.pearson([1, 2, 3, 4], [2, 4, 6, 8])
    #expect(c.r == 1)
    #expect(c.pValue == 0)
  }

  @Test func constantSampleHasExactMeanAndZeroSpread() throws {
    let summary = try SampleSummary([0.1, 0.1, 0.1])
    #expect(summary.mean == 0.1)
    #expect(summary.standardDeviation == 0)
    #expect(try summary.confidenceInterval() == 0.1...0.1)
  }

  @Test func quantileEnds() throws {
    let t = try StudentT(degreesOfFreedom: 4)
    #expect(try t.quantile(0) == -.infinity)
    #expect(try t.quantile(1) == .infinity)
    #expect(try t.quantile(0.5) == 0)
  }

  @Test func lognormalOfOneValueHasZeroSigma() throws {
    let fit = try LognormalFit(fitting: [7])
    #expect(fit.sigma == 0)
    #expect(abs(fit.median - 7) < 1e-12)
  }
}
