"""Drift with Evidently: its data drift preset over the features, reported as HTML and JSON.

Evidently picks the test per column from its type and size (Kolmogorov-Smirnov
for a few hundred numbers, Wasserstein distance for more) unless
``EVIDENTLY_DRIFT_METHOD`` names one (``ks``, ``wasserstein``, ``psi``, ...),
with that method's own threshold unless ``EVIDENTLY_DRIFT_THRESHOLD`` is set.
The data drifted when at least ``DRIFT_SHARE`` (default 0.5) of the features did.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
from evidently import Report, Run
from evidently.presets import DataDriftPreset

from {{ cookiecutter.package_name }}.data import FEATURES
from {{ cookiecutter.package_name }}.interfaces import DriftReport


def _drift_share() -> float:
    return float(os.environ.get("DRIFT_SHARE", "0.5"))


def _run(reference: pd.DataFrame, current: pd.DataFrame) -> Run:
    threshold = os.environ.get("EVIDENTLY_DRIFT_THRESHOLD")
    preset = DataDriftPreset(
        columns=list(FEATURES),
        drift_share=_drift_share(),
        method=os.environ.get("EVIDENTLY_DRIFT_METHOD") or None,
        threshold=float(threshold) if threshold else None,
    )
    columns = list(FEATURES)
    return Report([preset]).run(current_data=current[columns], reference_data=reference[columns])


def compare(reference: pd.DataFrame, current: pd.DataFrame) -> DriftReport:
    metrics = _run(reference, current).dict()["metrics"]
    # The preset yields one DriftedColumnsCount over all the features and one ValueDrift per feature.
    [drifted] = [m for m in metrics if m["config"]["type"].endswith(":DriftedColumnsCount")]
    per_feature = [m for m in metrics if m["config"]["type"].endswith(":ValueDrift")]
    share = float(drifted["value"]["share"])
    return DriftReport(
        score=share,
        drifted=share >= _drift_share(),
        feature_scores={m["config"]["column"]: float(m["value"]) for m in per_feature},
        details={
            "methods": {m["config"]["column"]: m["config"]["method"] for m in per_feature},
            "thresholds": {m["config"]["column"]: m["config"]["threshold"] for m in per_feature},
            "drifted_features": int(drifted["value"]["count"]),
        },
    )


def write_report(report: DriftReport, reference: pd.DataFrame, current: pd.DataFrame, directory: Path) -> Path:
    """Evidently's HTML report (returned) and its JSON beside it, ``drift.json``."""
    directory.mkdir(parents=True, exist_ok=True)
    snapshot = _run(reference, current)
    snapshot.save_json(str(directory / "drift.json"))
    path = directory / "drift.html"
    snapshot.save_html(str(path))
    return path
