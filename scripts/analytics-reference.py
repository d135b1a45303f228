"""Reference values for the analytics tests, computed with NumPy and SciPy (not with VitaSync's code).

Writes test/fixtures/analytics/reference.json: fixture series of daily values and, for each, the statistics the
analytics routes compute (mean, median, sample SD, MAD, percentiles, modified z-scores; Pearson and Spearman
correlations with p-values, at lags 0-3; Benjamini-Hochberg q-values; exponentially weighted averages of daily
training load, CTL and ATL). The tests compare
VitaSync's results with these to 1e-9 relative. Rerun after adding a series or a statistic:

    python3 -m venv /tmp/reference && /tmp/reference/bin/pip install numpy==2.4.6 scipy==1.17.1
    /tmp/reference/bin/python scripts/analytics-reference.py
"""

import json
import pathlib

import numpy as np
from scipy import signal, stats

OUT = pathlib.Path(__file__).resolve().parent.parent / "test" / "fixtures" / "analytics" / "reference.json"

rng = np.random.default_rng(20261203)

# Series shaped like the metrics they stand for, plus the edge cases the formulas have to handle.
SERIES = {
    "resting_heart_rate_90d": np.round(rng.normal(58, 3.2, 90), 1).tolist(),
    "hrv_rmssd_30d": np.round(rng.lognormal(np.log(45), 0.25, 30), 2).tolist(),
    "steps_7d": rng.integers(2_000, 16_000, 7).astype(float).tolist(),
    "even_count": [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0],
    "mostly_ties": [60.0, 60.0, 60.0, 60.0, 61.0, 59.0, 60.0],
    "two_values": [10.0, 20.0],
}
# Values to score against each series as a baseline (modified z-score).
PROBES = [40.0, 58.0, 75.5, 12_000.0]


def modified_z(x, baseline):
    """Iglewicz & Hoaglin's modified z-score; the mean-absolute-deviation form when the MAD is 0."""
    baseline = np.asarray(baseline)
    centre = np.median(baseline)
    mad = stats.median_abs_deviation(baseline, scale=1.0)
    if mad > 0:
        return 0.6745 * (x - centre) / mad
    mean_ad = np.mean(np.abs(baseline - centre))
    if mean_ad > 0:
        return (x - centre) / (1.253314 * mean_ad)
    return None


def statistics(values):
    a = np.asarray(values)
    return {
        "n": int(a.size),
        "mean": float(np.mean(a)),
        "median": float(np.median(a)),
        "sd": float(np.std(a, ddof=1)) if a.size > 1 else None,
        "mad": float(stats.median_abs_deviation(a, scale=1.0)),
        "p10": float(np.percentile(a, 10)),
        "p90": float(np.percentile(a, 90)),
        "modifiedZ": {str(x): (None if (z := modified_z(x, a)) is None else float(z)) for x in PROBES},
    }


# Pairs of daily series for the correlation tests: a clear dependence, a weak one, ties (steps rounded to
# thousands), and lag 1 (the second series follows the first a day later).
n = 60
sleep_h = np.round(rng.normal(7.2, 0.8, n), 2)
next_rhr = np.round(62 - 1.8 * (sleep_h - 7.2) + rng.normal(0, 1.2, n), 1)
steps_k = np.round(rng.normal(9, 2.5, n)).clip(1)
noise = np.round(rng.normal(0, 1, n), 3)
lagged = np.round(np.concatenate([[0.0], 0.9 * steps_k[:-1]]) + rng.normal(0, 0.8, n), 2)
PAIRS = {
    "sleep_vs_rhr": (sleep_h.tolist(), next_rhr.tolist()),
    "steps_ties_vs_noise": (steps_k.tolist(), noise.tolist()),
    "short": ([1.0, 2.0, 3.0, 4.0, 6.0], [2.0, 1.0, 4.0, 3.0, 5.0]),
}
LAGGED = {"steps_then_load": (steps_k.tolist(), lagged.tolist())}


def correlation(x, y):
    pearson = stats.pearsonr(x, y)
    spearman = stats.spearmanr(x, y)
    return {
        "n": len(x),
        "pearson": {"r": float(pearson.statistic), "p": float(pearson.pvalue)},
        "spearman": {"r": float(spearman.statistic), "p": float(spearman.pvalue)},
    }


def lagged_correlations(x, y, max_lag):
    """x on day d against y on day d + lag (x leads)."""
    out = {}
    for lag in range(max_lag + 1):
        out[str(lag)] = correlation(x[: len(x) - lag], y[lag:])
    return out


P_VALUES = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216, 0.222, 0.251, 0.269, 0.275,
            0.34, 0.341, 0.384, 0.569, 0.594, 0.696, 0.762, 0.94, 0.942, 0.975, 0.986, 0.008]

# Daily training loads (TRIMP) over 20 weeks: rest days at 0, a build, a taper. CTL and ATL are exponentially
# weighted averages with time constants 42 and 7 days, alpha = 1 - exp(-1/tau), seeded at 0: the linear filter
# y[t] = (1 - alpha) y[t-1] + alpha x[t], which scipy.signal.lfilter computes from its coefficients.
weeks = 20
loads = np.round(np.where(rng.random(weeks * 7) < 0.3, 0.0, rng.gamma(4.0, 18.0, weeks * 7)), 2)
loads[-10:] = np.round(loads[-10:] * 0.4, 2)


def ewma(x, tau):
    alpha = 1 - np.exp(-1 / tau)
    return signal.lfilter([alpha], [1, -(1 - alpha)], x)


reference = {
    "generatedBy": f"numpy {np.__version__}, scipy {__import__('scipy').__version__}",
    "series": {name: {"values": values, **statistics(values)} for name, values in SERIES.items()},
    "correlations": {name: {"x": x, "y": y, **correlation(x, y)} for name, (x, y) in PAIRS.items()},
    "lagged": {name: {"x": x, "y": y, "lags": lagged_correlations(x, y, 3)} for name, (x, y) in LAGGED.items()},
    "ewma": {
        "loads": loads.tolist(),
        "ctl": {"tau": 42, "values": ewma(loads, 42).tolist()},
        "atl": {"tau": 7, "values": ewma(loads, 7).tolist()},
    },
    "benjaminiHochberg": {
        "p": P_VALUES,
        "q": stats.false_discovery_control(P_VALUES, method="bh").tolist(),
    },
}
OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(json.dumps(reference, indent=2) + "\n")
print(f"wrote {OUT}")
