"""Where MLflow keeps runs and models: one answer for the tracking and the registry modules."""

from __future__ import annotations

import os
from pathlib import Path
{%- if stack.channels.object_store %}

import mlflow
{%- endif %}


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
    Unset, it is the local stand-in, reached with its fixed keys in place of a developer's own.
    """
    configured = os.environ.get("{{ store.endpoint_env }}")
    if configured is None:
        os.environ["AWS_ACCESS_KEY_ID"] = "{{ store.local_credentials.access_key_id }}"
        os.environ["AWS_SECRET_ACCESS_KEY"] = "{{ store.local_credentials.secret_access_key }}"
    endpoint = "{{ store.endpoint }}" if configured is None else configured
    if endpoint:
        os.environ["MLFLOW_S3_ENDPOINT_URL"] = endpoint


def create_experiment_in_object_store(experiment: str) -> None:
    """A new experiment keeps its artifacts (run files, logged models) in the object store, not beside the store."""
    if mlflow.get_experiment_by_name(experiment) is None:
        mlflow.create_experiment(experiment, artifact_location=artifact_location())
{%- endif %}
