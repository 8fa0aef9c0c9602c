#!/usr/bin/env python3
"""Writes Tests/PSNCoreTests/Fixtures/statistics/reference.json: reference values for psn's
statistics, computed with an independent implementation (scipy.stats / numpy) on fixed datasets.

    python3 scripts/make-stat-fixtures.py      # needs scipy >= 1.11 (for ttest_ind(...).df) and numpy

The datasets are written into the fixture next to the expected values, so the Swift test
(Tests/PSNCoreTests/StatisticsReferenceTests.swift) needs neither Python nor this script.
Where scipy has no function (Cohen's d, Hedges' g with the exact gamma-function J), the reference
is the textbook formula evaluated with numpy and math.lgamma, as documented in docs/statistics.md.
"""
import json
import math
import pathlib

import numpy as np
import scipy
import scipy.stats as st

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/PSNCoreTests/Fixtures/statistics/reference.json"
rng = np.random.default_rng(20261125)


def rounded(values, digits=6):
    # Data are rounded so the JSON stays readable; the reference values are computed from the
    # rounded data, so nothing is lost.
    return [round(float(v), digits) for v in values]


# Two-sample datasets: small n, unequal sizes, ties, a large t, one constant group, a large offset.
TWO_SAMPLE = {
    "seeds-close": (
        [0.8912, 0.8935, 0.8921, 0.8940, 0.8918],
        [0.8930, 0.8951, 0.8944, 0.8957, 0.8939],
    ),
    "n2-each": ([1.0, 2.0], [2.5, 4.5]),
    "unequal-3-8": ([0.71, 0.74, 0.69], rounded(rng.normal(0.75, 0.02, 8))),
    "ties": ([3, 3, 4, 4, 4, 5, 7], [4, 4, 5, 5, 5, 6, 6, 6, 8]),
    "large-t": (
        rounded(rng.normal(10.0, 0.01, 12)),
        rounded(rng.normal(9.0, 0.01, 10)),
    ),
    "one-group-constant": ([0.5, 0.5, 0.5, 0.5], [0.52, 0.55, 0.49, 0.58, 0.51]),
    "large-offset": (
        [1e6 + v for v in [0.11, 0.13, 0.12, 0.15]],
        [1e6 + v for v in [0.10, 0.09, 0.12, 0.08, 0.11]],
    ),
    "negative-skewed": (rounded(rng.lognormal(0, 1, 15) * -1), rounded(rng.lognormal(0.3, 0.8, 6) * -1)),
}

PAIRED = {
    "seeds-paired": (
        [0.8912, 0.8935, 0.8921, 0.8940, 0.8918],
        [0.8930, 0.8951, 0.8944, 0.8957, 0.8939],
    ),
    "n2": ([1.0, 2.0], [1.5, 3.0]),
    "mixed-sign": ([0.3, -0.2, 1.4, 0.9, 0.0, 2.2, -1.1], [0.1, 0.1, 1.0, 1.2, -0.4, 1.5, -1.0]),
    "large-t": ([10.0, 11.0, 12.0, 13.0], [0.0, 1.001, 1.999, 3.0005]),
}

CORRELATION = {
    "cv-vs-concentration": (
        [0.0, 0.5, 1.0, 1.5, 2.0, 2.5],
        [1.02, 1.6, 2.3, 2.9, 4.1, 4.8],
    ),
    "n3": ([1.0, 2.0, 4.0], [2.0, 1.0, 3.5]),
    "uncorrelated": (rounded(rng.normal(0, 1, 20)), rounded(rng.normal(0, 1, 20))),
    "negative": ([1, 2, 3, 4, 5, 6, 7, 8], [9.1, 7.9, 7.2, 5.8, 5.5, 3.1, 2.2, 0.4]),
    "ties": ([1, 2, 2, 3, 3, 3, 4, 5], [2, 2, 3, 1, 4, 4, 6, 5]),
}

SAMPLES = {
    "seeds": [0.8912, 0.8935, 0.8921, 0.8940, 0.8918],
    "n2": [1.0, 3.0],
    "large-offset": [1e9 + v for v in [0.5, 0.25, 0.75, 1.0]],
    "many": rounded(rng.normal(3.0, 2.0, 50)),
}

KS = {
    "floats-ties": ([0.1, 0.2, 0.2, 0.5, 0.9], [0.2, 0.2, 0.3, 0.5, 0.5, 1.1]),
    "fan-in-integers": (
        [int(v) for v in rng.binomial(78, 0.1, 200)],
        [int(v) for v in np.clip(np.round(rng.lognormal(2.0, 0.6, 150)), 1, 78)],
    ),
    "identical": ([3, 1, 2, 2], [2, 3, 2, 1]),
    "disjoint": ([1, 2, 3], [4, 5]),
    "single-values": ([5], [5, 6, 7]),
}

LOGNORMAL = {
    "fan-ins": [int(v) for v in np.clip(np.round(rng.lognormal(2.5, 0.7, 100)), 1, 300)],
    "reals": rounded(rng.lognormal(-1.0, 1.3, 25)),
    "two": [1.0, 4.0],
}

T_DISTRIBUTION_DF = [1.0, 2.0, 3.7, 10.0, 30.0, 1000.0, 100000.0]
T_VALUES = [-40.0, -3.0, -0.5, 0.0, 0.1, 1.96, 2.5, 12.0, 300.0]
T_PROBABILITIES = [1e-10, 0.001, 0.025, 0.3, 0.5, 0.9, 0.975, 0.999999]


def ttest_dict(result):
    return {"t": float(result.statistic), "df": float(result.df), "p": float(result.pvalue)}


def pooled_sd(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    na, nb = len(a), len(b)
    return math.sqrt(((na - 1) * a.var(ddof=1) + (nb - 1) * b.var(ddof=1)) / (na + nb - 2))


def cohens_d(a, b):
    return (np.mean(a) - np.mean(b)) / pooled_sd(a, b)


def hedges_j(df):
    # Exact small-sample correction J(ν) = Γ(ν/2) / (√(ν/2) Γ((ν−1)/2)).
    return math.exp(math.lgamma(df / 2) - math.lgamma((df - 1) / 2) - 0.5 * math.log(df / 2))


def two_sample_entry(name, a, b):
    df = len(a) + len(b) - 2
    return {
        "name": name,
        "a": a,
        "b": b,
        "welch": ttest_dict(st.ttest_ind(a, b, equal_var=False)),
        "student": ttest_dict(st.ttest_ind(a, b)),
        "cohen_d": float(cohens_d(a, b)),
        "hedges_g": float(hedges_j(df) * cohens_d(a, b)),
        "ks": float(st.ks_2samp(a, b).statistic),
    }


def sample_entry(name, x):
    x = [float(v) for v in x]
    mean = float(np.mean(x))
    sem = float(st.sem(x))
    lo, hi = st.t.interval(0.95, len(x) - 1, loc=mean, scale=sem)
    return {
        "name": name,
        "values": x,
        "mean": mean,
        "std": float(np.std(x, ddof=1)),
        "sem": sem,
        "ci95": [float(lo), float(hi)],
    }


def correlation_entry(name, x, y):
    pearson = st.pearsonr(x, y)
    spearman = st.spearmanr(x, y)
    return {
        "name": name,
        "x": [float(v) for v in x],
        "y": [float(v) for v in y],
        "pearson_r": float(pearson.statistic),
        "pearson_p": float(pearson.pvalue),
        "spearman_rho": float(spearman.statistic),
        "spearman_p": float(spearman.pvalue),
    }


def lognormal_entry(name, x):
    sigma, loc, scale = st.lognorm.fit(x, floc=0)
    assert loc == 0
    logs = np.log(np.asarray(x, float))
    # scipy's fit is the closed-form MLE when loc is fixed; check it against the formula.
    assert math.isclose(sigma, logs.std(ddof=0), rel_tol=1e-12)
    return {"name": name, "values": [float(v) for v in x], "mu": float(math.log(scale)), "sigma": float(sigma)}


fixture = {
    "generator": "scripts/make-stat-fixtures.py",
    "scipy": scipy.__version__,
    "numpy": np.__version__,
    "samples": [sample_entry(n, x) for n, x in SAMPLES.items()],
    "two_sample": [two_sample_entry(n, [float(v) for v in a], [float(v) for v in b]) for n, (a, b) in TWO_SAMPLE.items()],
    "paired": [
        {"name": n, "a": a, "b": b, **ttest_dict(st.ttest_rel(a, b))} for n, (a, b) in PAIRED.items()
    ],
    "correlation": [correlation_entry(n, x, y) for n, (x, y) in CORRELATION.items()],
    "ks_integer": [
        {"name": n, "a": a, "b": b, "statistic": float(st.ks_2samp(a, b).statistic)} for n, (a, b) in KS.items()
    ],
    "lognormal": [lognormal_entry(n, x) for n, x in LOGNORMAL.items()],
    "t_cdf": [
        {"df": df, "t": t, "cdf": float(st.t.cdf(t, df)), "sf": float(st.t.sf(t, df))}
        for df in T_DISTRIBUTION_DF
        for t in T_VALUES
    ],
    "t_quantile": [
        {"df": df, "p": p, "quantile": float(st.t.ppf(p, df))} for df in T_DISTRIBUTION_DF for p in T_PROBABILITIES
    ],
}

OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(json.dumps(fixture, indent=1) + "\n")
print(f"wrote {OUT}")
