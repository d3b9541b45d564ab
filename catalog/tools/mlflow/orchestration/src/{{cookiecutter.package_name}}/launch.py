"""Start a training run of the MLflow Project: its ``main`` entry point, as ``mlflow run`` does.

The project is ``MLFLOW_PROJECT_URI`` (a folder holding ``MLproject`` or a git
URL; empty: this checkout) and runs in this environment
(``--env-manager local``); the run is recorded in ``MLFLOW_EXPERIMENT_NAME``
(default ``{{ cookiecutter.project_slug }}``, as ``make mlflow-run``) with the reason as a tag, and
this returns its run id once it finished.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import mlflow.projects

PROJECT_ROOT = Path(__file__).resolve().parents[2]

logger = logging.getLogger(__name__)


def start_training(reason: str) -> str:
    uri = os.environ.get("MLFLOW_PROJECT_URI") or str(PROJECT_ROOT)
    logger.info("training with the MLflow Project %s: %s", uri, reason)
    submitted = mlflow.projects.run(
        uri,
        entry_point="main",
        experiment_name=os.environ.get("MLFLOW_EXPERIMENT_NAME", "{{ cookiecutter.project_slug }}"),
        env_manager="local",
        run_name="retrain",
    )
    mlflow.MlflowClient().set_tag(submitted.run_id, "reason", reason)
    if submitted.get_status() != "FINISHED":
        raise RuntimeError(f"the MLflow Project run {submitted.run_id} ended {submitted.get_status()}")
    return str(submitted.run_id)
