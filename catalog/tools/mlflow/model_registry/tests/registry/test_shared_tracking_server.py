"""The team topology without Docker: a real ``mlflow server`` on 127.0.0.1 that stores artifacts itself.

Training runs in one folder, the service starts in another that shares
nothing on disk with it, and predicts: the model travels only through the server.
{%- if stack.channels.object_store %}
With an object store, artifacts and models travel through the project's bucket instead of the local disk.
{%- endif %}
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Callable
from pathlib import Path

{% if stack.channels.object_store -%}
import boto3
import pandas as pd
{% endif -%}
import pytest
{%- if stack.channels.object_store %}

from {{ cookiecutter.package_name }} import registry
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.model import predict
from {{ cookiecutter.package_name }}.pipeline import run_pipeline
{%- endif %}


@pytest.mark.integration
def test_train_in_one_folder_and_serve_from_another(tmp_path: Path, start_server: Callable[..., str]) -> None:
    store, trainer, service = tmp_path / "server", tmp_path / "trainer", tmp_path / "service"
    for folder in (store, trainer, service):
        folder.mkdir()
    tracking_server = start_server(
        lambda port: [
            *(sys.executable, "-m", "mlflow", "server", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"),
            *("--backend-store-uri", f"sqlite:///{store / 'mlflow.db'}", "--artifacts-destination", str(store)),
        ],
        cwd=store,
        # The server's background job runner (a dozen worker processes) plays no part in tracking or the registry.
        env={"MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"},
    )
    env = {"MLFLOW_TRACKING_URI": tracking_server}
    package = "{{ cookiecutter.package_name }}"
    subprocess.run([sys.executable, "-m", f"{package}.pipeline"], cwd=trainer, env={**os.environ, **env}, check=True)
    url = start_server(
        lambda port: [sys.executable, "-m", f"{package}.service", "--host", "127.0.0.1", "--port", str(port)],
        cwd=service,
        # Its own prediction log goes elsewhere, so anything in its folder would be a model read from disk.
        env={**env, "PREDICTION_LOG": str(tmp_path / "predictions.jsonl")},
    )
    flower = {"sepal_length_cm": 5.1, "sepal_width_cm": 3.5, "petal_length_cm": 1.4, "petal_width_cm": 0.2}
    request = urllib.request.Request(
        f"{url}/predict",
        data=json.dumps({"instances": [flower]}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert json.load(response)["predictions"][0]["class_name"] == "setosa"
    assert not any(service.iterdir()), "the service read the model from the server, not from a local folder"
{%- if stack.channels.object_store %}
{%- set store = stack.channels.object_store %}


def test_run_files_and_the_model_live_in_the_object_store(workdir: Path) -> None:
    """With the local tracking store, every artifact goes to the bucket, and serving loads the model from there."""
    settings = Settings.from_env()
    run_pipeline(settings)
    bucket = os.environ.get("{{ store.bucket_env }}", "{{ store.bucket }}")
    prefix = os.environ.get("{{ store.prefix_env }}", "{{ store.prefix }}").strip("/")
    s3 = boto3.client("s3", endpoint_url=os.environ["{{ store.endpoint_env }}"])
    listing = s3.list_objects_v2(Bucket=bucket, Prefix="/".join(p for p in (prefix, "mlflow/") if p))
    names = [item["Key"].rsplit("/", 1)[-1] for item in listing.get("Contents", [])]
    assert "model.joblib" in names, f"the tracked run's model file is not in s3://{bucket}: {names}"
    assert "MLmodel" in names, f"the registered model is not in s3://{bucket}: {names}"
    assert not (workdir / "mlruns").exists()
    assert not (workdir / "mlartifacts").exists()

    flower = {"sepal_length_cm": 5.1, "sepal_width_cm": 3.5, "petal_length_cm": 1.4, "petal_width_cm": 0.2}
    assert predict(registry.load_model(settings), pd.DataFrame([flower])) == [(0, "setosa")]
{%- endif %}
