"""The tracking interface, as every tracker implements it.

``recorded_runs`` comes from ``conftest.py`` beside this file: it reads the runs
back with the chosen tracker's own reader, so this test proves they were
really stored, not only that the calls returned.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from {{ cookiecutter.package_name }} import tracking


def _record_one_run(workdir: Path, passed: bool) -> None:
    dataset = workdir / "train.csv"
    dataset.write_text("sepal_length_cm,species\n5.1,0\n", encoding="utf-8")
    model = workdir / "model.joblib"
    model.write_bytes(b"model")
    with tracking.start_run(run_name="contract"):
        tracking.log_params({"regularization": 0.5, "seed": 7})
        tracking.log_dataset(dataset, context="train")
        tracking.log_metrics({"accuracy": 0.9, "f1_macro": 0.85})
        tracking.log_model(model)
        tracking.log_gate(passed=passed, threshold=0.8)


@pytest.mark.parametrize("passed", [True, False])
def test_a_run_keeps_params_metrics_and_the_gate_outcome(
    workdir: Path, recorded_runs: Callable[[], list[dict[str, Any]]], passed: bool
) -> None:
    _record_one_run(workdir, passed)
    runs = recorded_runs()
    assert len(runs) == 1
    run = runs[0]
    assert run["params"]["regularization"] == "0.5"
    assert run["params"]["seed"] == "7"
    assert run["metrics"]["accuracy"] == pytest.approx(0.9)
    assert run["gate"] == ("passed" if passed else "failed")


def test_every_run_is_recorded(workdir: Path, recorded_runs: Callable[[], list[dict[str, Any]]]) -> None:
    _record_one_run(workdir, passed=True)
    _record_one_run(workdir, passed=False)
    assert sorted(run["gate"] for run in recorded_runs()) == ["failed", "passed"]
