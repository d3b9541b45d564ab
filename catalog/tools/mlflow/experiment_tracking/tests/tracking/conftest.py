"""Read runs back from the MLflow store with MLflow's own client."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import mlflow
import pytest

from {{ cookiecutter.package_name }}.mlflow_store import tracking_uri


@pytest.fixture
def recorded_runs() -> Callable[[], list[dict[str, Any]]]:
    def read() -> list[dict[str, Any]]:
        mlflow.set_tracking_uri(tracking_uri())
        experiment = os.environ.get("MLFLOW_EXPERIMENT_NAME", "{{ cookiecutter.project_slug }}")
        runs = mlflow.search_runs(experiment_names=[experiment], output_format="list")
        return [
            {"params": run.data.params, "metrics": run.data.metrics, "gate": run.data.tags.get("quality_gate")}
            for run in runs
        ]

    return read
