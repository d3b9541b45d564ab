"""What only whylogs needs to prove: its profiles are written and read back, its threshold decides, nothing is sent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import whylogs as why

from {{ cookiecutter.package_name }} import drift
from {{ cookiecutter.package_name }}.data import FEATURES, load_dataset, split_dataset


def _halves(shifted_features: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    reference, current = split_dataset(load_dataset(), test_size=0.5, seed=0)
    columns = list(FEATURES)[:shifted_features]
    current[columns] = current[columns] * 1.6 + 2.0
    return reference, current


def test_the_report_holds_whylogs_profiles_of_both_sides(tmp_path: Path) -> None:
    reference, current = _halves(shifted_features=4)
    report = drift.compare(reference, current)
    html = drift.write_report(report, reference, current, tmp_path)
    assert html.name == "drift.html"
    assert "Drift" in html.read_text(encoding="utf-8")
    for name, frame in (("reference", reference), ("current", current)):
        view = why.read(str(tmp_path / f"{name}.bin")).view()
        assert set(view.get_columns()) == set(FEATURES)
        assert view.get_column(FEATURES[0]).get_metric("counts").n.value == len(frame)
    assert json.loads((tmp_path / "drift.json").read_text())["p_values"] == report.feature_scores


def test_the_p_value_and_the_share_set_the_decision(monkeypatch: pytest.MonkeyPatch) -> None:
    reference, current = _halves(shifted_features=2)
    assert drift.compare(reference, current).drifted
    monkeypatch.setenv("DRIFT_SHARE", "0.75")
    assert not drift.compare(reference, current).drifted
    monkeypatch.setenv("DRIFT_SHARE", "0.5")
    # Two samples of the same data have p-values near 1: only a threshold that high calls them drifted.
    unshifted = _halves()
    assert not drift.compare(*unshifted).drifted
    monkeypatch.setenv("DRIFT_P_VALUE", "0.9999")
    assert drift.compare(*unshifted).score == 1.0


def test_the_drift_module_switches_whylogs_usage_statistics_off() -> None:
    """In a fresh process without the opt-out, as the monitor runs: whylogs reads it once, at import."""
    code = "import {{ cookiecutter.package_name }}.drift; from whylogs.api import usage_stats; print(usage_stats._TELEMETRY_DISABLED)"
    env = {name: value for name, value in os.environ.items() if name != "WHYLOGS_NO_ANALYTICS"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"
