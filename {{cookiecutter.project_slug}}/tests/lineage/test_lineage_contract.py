"""The lineage interface, as every metadata store implements it.

``recorded_lineage(model)`` comes from ``conftest.py`` beside this file: it
walks back from the model file to the data it came from with the chosen
store's own reader, so these tests prove the lineage was really recorded, not
only that the calls returned. Each test runs the pipeline itself, after the
fixture is set up, so an adapter that listens (to log lines, say) hears it all.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.model import ModelQualityError
from {{ cookiecutter.package_name }}.pipeline import RunFiles, run_pipeline

RecordedLineage = Callable[[Path], dict[str, Any] | None]


def test_the_published_model_leads_back_to_its_data_set(settings: Settings, recorded_lineage: RecordedLineage) -> None:
    trained = run_pipeline(settings)
    files = RunFiles(trained.run_dir)
    found = recorded_lineage(files.model)
    assert found is not None, "no lineage recorded for the published model"
    assert found["dataset"] == files.dataset.resolve()
    assert found["train"] == files.train.resolve()
    assert found["test"] == files.test.resolve()
    assert found["params"]["regularization"] == "1.0"
    assert found["params"]["seed"] == "42"
    assert found["metrics"]["accuracy"] == pytest.approx(trained.metrics["accuracy"])
    assert found["gate"] == "passed"
    assert found["version"]


def test_a_rejected_model_keeps_its_lineage_but_no_version(
    settings: Settings, recorded_lineage: RecordedLineage
) -> None:
    rejecting = dataclasses.replace(settings, min_accuracy=1.01)
    with pytest.raises(ModelQualityError):
        run_pipeline(rejecting)
    (run_dir,) = rejecting.work_dir.iterdir()
    found = recorded_lineage(RunFiles(run_dir).model)
    assert found is not None
    assert found["dataset"] == RunFiles(run_dir).dataset.resolve()
    assert found["gate"] == "failed"
    assert found["version"] is None


def test_an_unknown_model_has_no_lineage(workdir: Path, recorded_lineage: RecordedLineage) -> None:
    assert recorded_lineage(workdir / "never-trained.joblib") is None
