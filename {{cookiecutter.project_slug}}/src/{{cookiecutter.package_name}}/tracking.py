"""Record training runs in MLflow Tracking.

With the default ``MLFLOW_TRACKING_URI=sqlite:///mlflow.db`` everything stays in
one local file; point it at a tracking server to share runs with the team.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import mlflow

from {{ cookiecutter.package_name }}.config import Settings


def configure(settings: Settings) -> None:
    """Point MLflow at the tracking store and make sure the experiment exists."""
    mlflow.set_tracking_uri(settings.tracking_uri)
    if mlflow.get_experiment_by_name(settings.experiment_name) is None:
        mlflow.create_experiment(settings.experiment_name, artifact_location=settings.artifact_root.resolve().as_uri())
    mlflow.set_experiment(settings.experiment_name)


@contextmanager
def training_run(settings: Settings, params: dict[str, float | int], metrics: dict[str, float]) -> Iterator[str]:
    """Open a run with ``params`` and ``metrics`` logged; yield its id."""
    configure(settings)
    with mlflow.start_run(run_name="training") as run:
        mlflow.log_params(params)
        mlflow.log_metrics(metrics)
        yield run.info.run_id
