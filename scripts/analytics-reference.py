"""Reference values for the analytics tests, computed with NumPy and SciPy (not with VitaSync's code).

Writes test/fixtures/analytics/reference.json: fixture series of daily values and, for each, the statistics the
analytics routes compute (mean, median, sample SD, MAD, percentiles, modified z-scores). The tests compare
VitaSync's results with these to 1e-9 relative. Rerun after adding a series or a statistic:

    python3 -m venv /tmp/reference && /tmp/reference/bin/pip install numpy==2.4.6 scipy==1.17.1
    /tmp/reference/bin/python scripts/analytics-reference.py
"""

import json
import pathlib

import numpy as np
from scipy import stats

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


reference = {
    "generatedBy": f"numpy {np.__version__}, scipy {__import__('scipy').__version__}",
    "series": {name: {"values": values, **statistics(values)} for name, values in SERIES.items()},
}
OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(json.dumps(reference, indent=2) + "\n")
print(f"wrote {OUT}")
