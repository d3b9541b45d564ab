"""Record training runs in MLflow Tracking.

With the default ``MLFLOW_TRACKING_URI=sqlite:///mlflow.db`` runs stay in one
local file; point it at a tracking server (``http://mlflow:5000``) to share
them with the team. {% if stack.channels.object_store %}New experiments keep their artifacts in the
project's object store (``artifact_location``), whichever the tracking store.{% else %}Artifacts then go wherever the server stores them.{% endif %}
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import mlflow
import pandas as pd
from mlflow.data.pandas_dataset import from_pandas


def tracking_uri() -> str:
    """``MLFLOW_TRACKING_URI``, with a relative SQLite path made absolute.

    MLflow caches one store per URI string, so a relative path would keep
    pointing at the folder it was first resolved in.
    """
    uri = os.environ.get("MLFLOW_TRACKING_URI", "sqlite:///mlflow.db")
    prefix = "sqlite:///"
    if uri.startswith(prefix) and not uri.startswith(prefix + "/"):
        return prefix + str(Path(uri.removeprefix(prefix)).resolve())
    return uri
{%- if stack.channels.object_store %}
{%- set store = stack.channels.object_store %}


def artifact_location() -> str:
    """Where new experiments keep their artifacts: ``mlflow/`` in the project's object store."""
    bucket = os.environ.get("{{ store.bucket_env }}", "{{ store.bucket }}")
    prefix = os.environ.get("{{ store.prefix_env }}", "{{ store.prefix }}").strip("/")
    return "/".join(part for part in ("{{ store.scheme }}://" + bucket, prefix, "mlflow") if part)


def use_object_store_endpoint() -> None:
    """Point MLflow's S3 client, which reads a setting of its own, at the object store's endpoint.

    Empty, the store is the provider's public endpoint, which MLflow finds by itself.
    """
    endpoint = os.environ.get("{{ store.endpoint_env }}", "{{ store.endpoint }}")
    if endpoint:
        os.environ["MLFLOW_S3_ENDPOINT_URL"] = endpoint


def create_experiment_in_object_store(experiment: str) -> None:
    """A new experiment keeps its artifacts (run files, logged models) in the object store, not beside the store."""
    if mlflow.get_experiment_by_name(experiment) is None:
        mlflow.create_experiment(experiment, artifact_location=artifact_location())
{%- endif %}


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
    dataset = from_pandas(pd.read_csv(path), source=str(path.resolve()), name=path.stem)
    mlflow.log_input(dataset, context=context)


def log_model(model_path: Path) -> None:
    """Keep the trained model file with the run; the registry publishes it separately."""
    mlflow.log_artifact(str(model_path), artifact_path="model")


def log_gate(passed: bool, threshold: float) -> None:
    mlflow.set_tag("quality_gate", "passed" if passed else "failed")
    mlflow.log_param("min_accuracy", threshold)
