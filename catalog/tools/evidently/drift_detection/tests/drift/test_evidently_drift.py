"""What only Evidently needs to prove: its JSON snapshot holds the scores, and its settings change the decision."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from {{ cookiecutter.package_name }} import drift
from {{ cookiecutter.package_name }}.data import FEATURES, load_dataset, split_dataset


def _halves(shifted_features: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    reference, current = split_dataset(load_dataset(), test_size=0.5, seed=0)
    columns = list(FEATURES)[:shifted_features]
    current[columns] = current[columns] * 1.6 + 2.0
    return reference, current


def test_the_reports_are_evidentlys_with_the_same_scores(tmp_path: Path) -> None:
    reference, current = _halves(shifted_features=4)
    report = drift.compare(reference, current)
    html = drift.write_report(report, reference, current, tmp_path)
    assert html.name == "drift.html"
    text = html.read_text(encoding="utf-8")
    assert all(name in text for name in FEATURES), "the HTML report leaves out a feature"
    snapshot = json.loads((tmp_path / "drift.json").read_text(encoding="utf-8"))
    values = {m["config"]["column"]: m["value"] for m in snapshot["metrics"] if "column" in m["config"]}
    assert values == pytest.approx(report.feature_scores)
    assert report.details["drifted_features"] == 4


def test_drift_share_sets_how_many_features_must_move(monkeypatch: pytest.MonkeyPatch) -> None:
    reference, current = _halves(shifted_features=2)
    assert drift.compare(reference, current).drifted
    monkeypatch.setenv("DRIFT_SHARE", "0.75")
    report = drift.compare(reference, current)
    assert report.score == 0.5
    assert not report.drifted


def test_the_drift_method_can_be_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVIDENTLY_DRIFT_METHOD", "wasserstein")
    report = drift.compare(*_halves(shifted_features=4))
    assert set(report.details["methods"].values()) == {"wasserstein"}
    assert report.drifted
