"""Publish models to the MLflow Model Registry and load the one serving should use.

Serving never names a version: it loads ``models:/<MODEL_NAME>@<MODEL_ALIAS>``
(``champion``); the training pipeline moves that alias only to a better model. The registry works whichever
tracker records the training runs: publishing opens its own MLflow run.
"""

from __future__ import annotations

import os
from pathlib import Path

import joblib
import mlflow
import pandas as pd
import sklearn
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from sklearn.pipeline import Pipeline

from {{ cookiecutter.package_name }}.config import Settings


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


METRIC_TAG = "metric."


class ModelNotFoundError(LookupError):
    """No version holds the serving alias yet: run the training pipeline first."""


def _alias() -> str:
    return os.environ.get("MODEL_ALIAS", "champion")


def _configure() -> None:
    mlflow.set_tracking_uri(tracking_uri())
{%- if stack.channels.object_store %}
    use_object_store_endpoint()
{%- endif %}


def model_uri(settings: Settings) -> str:
    return f"models:/{settings.model_name}@{_alias()}"


def publish(model: Pipeline, example: pd.DataFrame, metrics: dict[str, float], settings: Settings) -> str:
    """Register ``model`` as a new version of ``MODEL_NAME``, its metrics as version tags; return the version."""
    _configure()
{%- if stack.channels.object_store %}
    create_experiment_in_object_store(settings.model_name)
{%- endif %}
    mlflow.set_experiment(settings.model_name)
    # Explicit requirements: inferring them re-imports the model for seconds and
    # picks up whatever test tools happen to be installed.
    requirements = [f"scikit-learn=={sklearn.__version__}", f"joblib=={joblib.__version__}"]
    with mlflow.start_run(run_name="publish"):
        mlflow.log_metrics(metrics)
        info = mlflow.sklearn.log_model(
            model,
            name="model",
            registered_model_name=settings.model_name,
            input_example=example,
            pip_requirements=requirements,
        )
    version = str(info.registered_model_version)
    client = MlflowClient()
    for name, value in metrics.items():
        client.set_model_version_tag(settings.model_name, version, f"{METRIC_TAG}{name}", str(value))
    return version


def set_alias(version: str, alias: str, settings: Settings) -> None:
    _configure()
    MlflowClient().set_registered_model_alias(settings.model_name, alias, version)


def alias_metrics(alias: str, settings: Settings) -> dict[str, float] | None:
    """The metrics of the version behind ``alias``, or None when no version holds it."""
    _configure()
    try:
        version = MlflowClient().get_model_version_by_alias(settings.model_name, alias)
    except MlflowException:
        return None
    tags = version.tags.items()
    return {name.removeprefix(METRIC_TAG): float(value) for name, value in tags if name.startswith(METRIC_TAG)}


def load_model(settings: Settings) -> Pipeline:
    _configure()
    try:
        model: Pipeline = mlflow.sklearn.load_model(model_uri(settings))
    except MlflowException as error:
        raise ModelNotFoundError(f"cannot load {model_uri(settings)}: {error.message}") from error
    return model
