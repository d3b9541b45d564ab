{%- if cookiecutter.model_registry == 'mlflow' -%}
"""Publish models to the MLflow Model Registry and load the one serving should use.

Serving never names a version: it loads ``models:/<MODEL_NAME>@<MODEL_ALIAS>``,
and a successful training run moves the alias to the new version.
"""

from __future__ import annotations

import mlflow
import pandas as pd
from mlflow import MlflowClient
from sklearn.pipeline import Pipeline

from {{ cookiecutter.package_name }}.config import Settings


def model_uri(settings: Settings) -> str:
    return f"models:/{settings.model_name}@{settings.model_alias}"


def publish_model(model: Pipeline, example: pd.DataFrame, settings: Settings) -> str:
    """Log ``model`` to the active run, register a new version and move the alias to it."""
    info = mlflow.sklearn.log_model(
        model, name="model", registered_model_name=settings.model_name, input_example=example
    )
    MlflowClient().set_registered_model_alias(
        settings.model_name, settings.model_alias, str(info.registered_model_version)
    )
    return model_uri(settings)


def load_model(settings: Settings) -> Pipeline:
    mlflow.set_tracking_uri(settings.tracking_uri)
    return mlflow.sklearn.load_model(model_uri(settings))
{%- else -%}
"""Publish the model as a local file and load it back for serving.

There is no model registry in this stack: the latest model that passed the
quality gate is the file at ``MODEL_PATH``.
"""

from __future__ import annotations

import joblib
import pandas as pd
from sklearn.pipeline import Pipeline

from {{ cookiecutter.package_name }}.config import Settings


def model_uri(settings: Settings) -> str:
    return settings.model_path.resolve().as_uri()


def publish_model(model: Pipeline, example: pd.DataFrame, settings: Settings) -> str:
    """Save ``model`` where serving looks for it (``example`` is unused without a registry)."""
    del example
    settings.model_path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, settings.model_path)
    return model_uri(settings)


def load_model(settings: Settings) -> Pipeline:
    return joblib.load(settings.model_path)
{%- endif %}
