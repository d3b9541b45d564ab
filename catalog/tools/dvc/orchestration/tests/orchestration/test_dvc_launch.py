"""Starting a training run with DVC: ``dvc repro --force`` runs every stage, even with nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from {{ cookiecutter.package_name }} import launch, registry
from {{ cookiecutter.package_name }}.config import Settings


@pytest.mark.integration
def test_every_start_runs_the_whole_pipeline_and_registers_a_model(dvc_repo: Path, settings: Settings) -> None:
    first = launch.start_training("integration test")
    assert first.startswith("run/model.joblib@")
    assert (dvc_repo / "run" / "model.joblib").is_file()
    assert registry.alias_metrics("champion", settings) is not None
    assert launch.start_training("again, nothing changed") == first, "the same data and code give the same model"
