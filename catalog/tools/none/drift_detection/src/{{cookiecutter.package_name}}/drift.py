"""Drift with no drift tool: a two-sample Kolmogorov-Smirnov test per feature (SciPy, already installed).

A feature drifted when the test rejects "same distribution" at ``DRIFT_P_VALUE``
(default 0.05); the data drifted when at least ``DRIFT_SHARE`` (default 0.5) of
the features did. The report is a JSON file of the per-feature p-values.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
from scipy import stats

from {{ cookiecutter.package_name }}.data import FEATURES
from {{ cookiecutter.package_name }}.interfaces import DriftReport


def compare(reference: pd.DataFrame, current: pd.DataFrame) -> DriftReport:
    p_value = float(os.environ.get("DRIFT_P_VALUE", "0.05"))
    share = float(os.environ.get("DRIFT_SHARE", "0.5"))
    p_values = {name: float(stats.ks_2samp(reference[name], current[name]).pvalue) for name in FEATURES}
    score = sum(p < p_value for p in p_values.values()) / len(p_values)
    return DriftReport(score=score, drifted=score >= share, feature_scores=p_values, details={"test": "ks_2samp"})


def write_report(report: DriftReport, reference: pd.DataFrame, current: pd.DataFrame, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "drift.json"
    document = {
        "score": report.score,
        "drifted": report.drifted,
        "p_values": report.feature_scores,
        "rows": {"reference": len(reference), "current": len(current)},
    }
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path
