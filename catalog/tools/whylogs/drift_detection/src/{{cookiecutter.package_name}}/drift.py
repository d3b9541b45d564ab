"""Drift with whylogs: a statistical profile of each side, compared feature by feature with its KS test.

whylogs summarises each frame as a profile (mergeable sketches, no raw rows
kept) and runs a Kolmogorov-Smirnov test on the profiles' distributions. A
feature drifted when its p-value is below ``DRIFT_P_VALUE`` (default 0.05); the
data drifted when at least ``DRIFT_SHARE`` (default 0.5) of the features did. The
report is whylogs' HTML drift summary, with both profiles beside it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

# whylogs decides at import whether to send usage statistics: opt out before the first import.
os.environ["WHYLOGS_NO_ANALYTICS"] = "True"

import whylogs as why
from whylogs.core import DatasetProfileView
from whylogs.viz import NotebookProfileVisualizer
from whylogs.viz.drift.column_drift_algorithms import KS, calculate_drift_scores
from whylogs.viz.drift.configs import DriftThresholds, KSTestConfig

from {{ cookiecutter.package_name }}.data import FEATURES
from {{ cookiecutter.package_name }}.interfaces import DriftReport


def _ks() -> KS:
    p_value = float(os.environ.get("DRIFT_P_VALUE", "0.05"))
    return KS(KSTestConfig(thresholds=DriftThresholds(NO_DRIFT=(p_value, 1), DRIFT=(0, p_value))))


def _profile(frame: pd.DataFrame) -> DatasetProfileView:
    return why.log(frame[list(FEATURES)]).view()


def compare(reference: pd.DataFrame, current: pd.DataFrame) -> DriftReport:
    algorithm = _ks()
    scores = calculate_drift_scores(
        target_view=_profile(current),
        reference_view=_profile(reference),
        drift_map=dict.fromkeys(FEATURES, algorithm),
        with_thresholds=True,
    )
    drifted = [name for name in FEATURES if (scores[name] or {}).get("drift_category") == "DRIFT"]
    score = len(drifted) / len(FEATURES)
    return DriftReport(
        score=score,
        drifted=score >= float(os.environ.get("DRIFT_SHARE", "0.5")),
        feature_scores={name: float(result["pvalue"]) for name, result in scores.items() if result is not None},
        details={"test": "ks", "drifted_features": drifted},
    )


def write_report(report: DriftReport, reference: pd.DataFrame, current: pd.DataFrame, directory: Path) -> Path:
    """whylogs' HTML drift summary (returned), the scores as ``drift.json`` and both profiles (``*.bin``)."""
    directory.mkdir(parents=True, exist_ok=True)
    reference_view, current_view = _profile(reference), _profile(current)
    reference_view.write(str(directory / "reference.bin"))
    current_view.write(str(directory / "current.bin"))
    document = {"score": report.score, "drifted": report.drifted, "p_values": report.feature_scores, **report.details}
    (directory / "drift.json").write_text(json.dumps(document, indent=2), encoding="utf-8")
    visualizer = NotebookProfileVisualizer()
    visualizer.set_profiles(target_profile_view=current_view, reference_profile_view=reference_view)
    visualizer.add_drift_config(column_names=list(FEATURES), algorithm=_ks())
    path = directory / "drift.html"
    path.write_text(visualizer.summary_drift_report().data, encoding="utf-8")
    return path
