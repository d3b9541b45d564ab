"""A pipeline run leaves a complete offline W&B run: the model file it points at loads and predicts,
and ``wandb sync`` (``make wandb-sync``) finds the run to upload."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import joblib

from {{ cookiecutter.package_name }}.data import load_dataset
from {{ cookiecutter.package_name }}.model import predict
from {{ cookiecutter.package_name }}.pipeline import PipelineResult


def _md5_b64(path: Path) -> str:
    return base64.b64encode(hashlib.md5(path.read_bytes()).digest()).decode()


def test_the_model_artifact_of_a_training_run_loads_back(
    trained: PipelineResult, run_records: Callable[[], list[list[dict[str, Any]]]]
) -> None:
    (records,) = run_records()
    artifacts = {record["artifact"]["name"]: record["artifact"] for record in records if record["type"] == "artifact"}
    assert {name: artifact["type"] for name, artifact in artifacts.items()} == {
        "train-dataset": "dataset",
        "test-dataset": "dataset",
        "model": "model",
    }
    (entry,) = artifacts["model"]["manifest"]["contents"]
    model_file = Path(entry["local_path"])
    assert entry["path"] == "model.joblib"
    assert model_file == (trained.run_dir / "model.joblib").resolve()
    assert entry["digest"] == _md5_b64(model_file)
    model = joblib.load(model_file)
    assert [name for _, name in predict(model, load_dataset().iloc[[0, 50, 100]])] == [
        "setosa",
        "versicolor",
        "virginica",
    ]


def test_wandb_sync_finds_the_offline_run(trained: PipelineResult) -> None:
    # --dry-run stops before logging in, so this needs no account or network.
    result = subprocess.run(
        [sys.executable, "-m", "wandb", "sync", "--dry-run"], check=True, capture_output=True, text=True
    )
    assert "Would sync 1 run(s)" in result.stdout + result.stderr
