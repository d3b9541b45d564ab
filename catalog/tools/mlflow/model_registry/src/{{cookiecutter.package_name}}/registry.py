"""Publish models to the MLflow Model Registry and load the one serving should use.

Serving never names a version: it loads ``models:/<MODEL_NAME>@<MODEL_ALIAS>``
(default ``champion``); the training pipeline moves that alias only to a better
model. The registry works whichever tracker records the training runs:
publishing opens its own MLflow run.
"""

from __future__ import annotations

import joblib
import mlflow
import pandas as pd
import sklearn
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from mlflow.models import ModelSignature
from mlflow.types import ColSpec, DataType, Schema
from sklearn.pipeline import Pipeline

from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.errors import ModelNotFoundError, RegistryUnavailableError
from {{ cookiecutter.package_name }}.mlflow_store import {% if stack.channels.object_store %}(
    create_experiment_in_object_store,
    tracking_uri,
    use_object_store_endpoint,
){% else %}tracking_uri{% endif %}

METRIC_TAG = "metric."
# What MLflow answers for a model or an alias it does not have; any other
# failure (a refused connection, a server error) says nothing about the model.
ABSENT = frozenset({"RESOURCE_DOES_NOT_EXIST", "INVALID_PARAMETER_VALUE"})


def _configure() -> None:
    mlflow.set_tracking_uri(tracking_uri())
{%- if stack.channels.object_store %}
    use_object_store_endpoint()
{%- endif %}


def _unavailable(error: MlflowException) -> RegistryUnavailableError:
    return RegistryUnavailableError(f"the MLflow registry at {tracking_uri()} did not answer: {error.message}")


def model_uri(settings: Settings) -> str:
    return f"models:/{settings.model_name}@{settings.model_alias}"


def version_uri(version: str, settings: Settings) -> str:
    return f"models:/{settings.model_name}/{version}"


def _signature(example: pd.DataFrame) -> ModelSignature:
    """The measurements in, the class index out: declared, since inferring it warns on every
    publication that an integer output cannot hold missing values (a class index never is missing)."""
    return ModelSignature(
        inputs=Schema([ColSpec(DataType.double, str(column)) for column in example.columns]),
        outputs=Schema([ColSpec(DataType.long)]),
    )


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
            signature=_signature(example),
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
    except MlflowException as error:
        if error.error_code in ABSENT:
            return None
        raise _unavailable(error) from error
    tags = version.tags.items()
    return {name.removeprefix(METRIC_TAG): float(value) for name, value in tags if name.startswith(METRIC_TAG)}


def load_model(settings: Settings) -> Pipeline:
    _configure()
    try:
        model: Pipeline = mlflow.sklearn.load_model(model_uri(settings))
    except MlflowException as error:
        if error.error_code in ABSENT:
            raise ModelNotFoundError(f"cannot load {model_uri(settings)}: {error.message}") from error
        raise _unavailable(error) from error
    return model
