import Testing

@testable import PSNCore

/// Every value in the scipy-made fixture (see ``StatisticsFixture`` for how it was made), to 1e-6
/// relative.
@Suite struct StatisticsReferenceTests {
  let fixture: StatisticsFixture

  init() throws { fixture = try StatisticsFixture.load() }

  @Test func sampleSummaries() throws {
    for s in fixture.samples {
      let summary = try SampleSummary(s.values)
      expectClose(summary.mean, s.mean, "\(s.name) mean")
      expectClose(summary.standardDeviation, s.std, "\(s.name) std")
      expectClose(summary.standardError, s.sem, "\(s.name) standard error")
      let ci = try summary.confidenceInterval()
      expectClose(ci.lowerBound, s.ci95[0], "\(s.name) CI lower")
      expectClose(ci.upperBound, s.ci95[1], "\(s.name) CI upper")
      // The bounds alone hide errors in the half-width when the mean is large (1e9 ± 0.3).
      expectClose(
        (ci.upperBound - ci.lowerBound) / 2, (s.ci95[1] - s.ci95[0]) / 2, "\(s.name) CI half-width")
    }
  }

  @Test func twoSampleTestsAndEffectSizes() throws {
    for c in fixture.twoSample {
      let welch = try Statistics.welchTTest(c.a, c.b)
      expectClose(welch.t, c.welch.t, "\(c.name) Welch t")
      expectClose(welch.degreesOfFreedom, c.welch.df, "\(c.name) Welch df")
      expectClose(welch.pValue, c.welch.p, "\(c.name) Welch p")
      let student = try Statistics.studentTTest(c.a, c.b)
      expectClose(student.t, c.student.t, "\(c.name) Student t")
      expectClose(student.degreesOfFreedom, c.student.df, "\(c.name) Student df")
      expectClose(student.pValue, c.student.p, "\(c.name) Student p")
      expectClose(try Statistics.cohensD(c.a, c.b), c.cohenD, "\(c.name) Cohen's d")
      expectClose(try Statistics.hedgesG(c.a, c.b), c.hedgesG, "\(c.name) Hedges' g")
      expectClose(try Statistics.ksDistance(c.a, c.b), c.ks, "\(c.name) KS distance")
    }
  }

  @Test func pairedTTests() throws {
    for c in fixture.paired {
      let result = try Statistics.pairedTTest(c.a, c.b)
      expectClose(result.t, c.t, "\(c.name) paired t")
      expectClose(result.degreesOfFreedom, c.df, "\(c.name) paired df")
      expectClose(result.pValue, c.p, "\(c.name) paired p")
    }
  }

  @Test func correlations() throws {
    for c in fixture.correlation {
      let pearson = try Statistics.pearson(c.x, c.y)
      expectClose(pearson.r, c.pearsonR, "\(c.name) Pearson r")
      expectClose(pearson.pValue, c.pearsonP, "\(c.name) Pearson p")
      let spearman = try Statistics.spearman(c.x, c.y)
      expectClose(spearman.r, c.spearmanRho, "\(c.name) Spearman rho")
      expectClose(spearman.pValue, c.spearmanP, "\(c.name) Spearman p")
    }
  }

  @Test func ksDistanceWithTies() throws {
    for c in fixture.ksInteger {
      expectClose(try Statistics.ksDistance(c.a, c.b), c.statistic, "\(c.name) KS distance")
      let integral = (c.a + c.b).allSatisfy { $0 == $0.rounded() }
      if integral {
        let (a, b) = (c.a.map { Int($0) }, c.b.map { Int($0) })
        expectClose(try Statistics.ksDistance(a, b), c.statistic, "\(c.name) KS distance (Int)")
      }
    }
  }

  @Test func lognormalFits() throws {
    for c in fixture.lognormal {
      let fit = try LognormalFit(fitting: c.values)
      expectClose(fit.mu, c.mu, "\(c.name) mu")
      expectClose(fit.sigma, c.sigma, "\(c.name) sigma")
    }
  }

  @Test func studentTDistribution() throws {
    for c in fixture.tCdf {
      let dist = try StudentT(degreesOfFreedom: c.df)
      expectClose(dist.cdf(c.t), c.cdf, "cdf(\(c.t); df \(c.df))")
      expectClose(dist.survival(c.t), c.sf, "sf(\(c.t); df \(c.df))")
    }
    for c in fixture.tQuantile {
      let dist = try StudentT(degreesOfFreedom: c.df)
      expectClose(try dist.quantile(c.p), c.quantile, "quantile(\(c.p); df \(c.df))")
    }
  }
}
