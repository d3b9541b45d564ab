"""Record training runs in MLflow Tracking.

With the default ``MLFLOW_TRACKING_URI=sqlite:///mlflow.db`` runs stay in one
local file; point it at a tracking server (``http://mlflow:5000``) to share
them with the team. {% if stack.channels.object_store %}New experiments keep their artifacts in the
project's object store (``artifact_location``), whichever the tracking store.{% else %}Artifacts then go wherever the server stores them.{% endif %}
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import mlflow
import pandas as pd
from mlflow.data.pandas_dataset import from_pandas

from {{ cookiecutter.package_name }}.mlflow_store import {% if stack.channels.object_store %}(
    create_experiment_in_object_store,
    tracking_uri,
    use_object_store_endpoint,
){% else %}tracking_uri{% endif %}


def configure() -> None:
    """Point MLflow at the tracking store and the project's experiment."""
    mlflow.set_tracking_uri(tracking_uri())
    experiment = os.environ.get("MLFLOW_EXPERIMENT_NAME", "{{ cookiecutter.project_slug }}")
{%- if stack.channels.object_store %}
    use_object_store_endpoint()
    create_experiment_in_object_store(experiment)
{%- endif %}
    mlflow.set_experiment(experiment)


@contextmanager
def start_run(run_name: str) -> Iterator[str]:
    """Open a run for the calls inside the ``with`` block; yield its id."""
    configure()
    with mlflow.start_run(run_name=run_name) as run:
        yield run.info.run_id


def log_params(params: Mapping[str, float | int | str]) -> None:
    mlflow.log_params(dict(params))


def log_metrics(metrics: Mapping[str, float]) -> None:
    mlflow.log_metrics(dict(metrics))


def log_dataset(path: Path, context: str) -> None:
    """Record the data set as a run input, with its digest and schema."""
    with warnings.catch_warnings():
        # MLflow hints on every run that an inferred integer column cannot hold missing
        # values; the class index never is missing, so the hint is noise here.
        warnings.filterwarnings("ignore", "Hint: Inferred schema contains integer column", UserWarning)
        dataset = from_pandas(pd.read_csv(path), source=str(path.resolve()), name=path.stem)
        mlflow.log_input(dataset, context=context)


def log_model(model_path: Path) -> None:
    """Keep the trained model file with the run; the registry publishes it separately."""
    mlflow.log_artifact(str(model_path), artifact_path="model")


def log_gate(passed: bool, threshold: float) -> None:
    mlflow.set_tag("quality_gate", "passed" if passed else "failed")
    mlflow.log_param("min_accuracy", threshold)
