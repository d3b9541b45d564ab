"""Starting a training run with MLflow Projects: the ``main`` entry point, recorded with the reason."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from mlflow import MlflowClient

from {{ cookiecutter.package_name }} import launch, registry
from {{ cookiecutter.package_name }}.config import Settings


@pytest.mark.integration
def test_a_started_run_is_a_finished_project_run_with_a_registered_model(
    launch_runs_here: bool, project_dir: Path, settings: Settings
) -> None:
    assert launch_runs_here
    run_id = launch.start_training("integration test")
    run = MlflowClient(os.environ["MLFLOW_TRACKING_URI"]).get_run(run_id)
    assert run.info.status == "FINISHED"
    assert run.data.tags["mlflow.project.entryPoint"] == "main"
    assert run.data.tags["reason"] == "integration test"
    assert registry.alias_metrics("champion", settings) is not None
