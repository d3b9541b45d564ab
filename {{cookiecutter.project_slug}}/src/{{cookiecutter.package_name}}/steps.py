"""The pipeline steps, as functions that exchange files.

The local runner (``pipeline.py``) and every orchestrator call these same
functions. Passing paths instead of objects is what lets each step run in its
own process, worker or container. The steps reach tools only through the stage
interfaces (``interfaces.py``): ``storage`` holds the raw data, ``features`` publishes
it and turns it into the training table, ``tracking`` records runs, ``registry`` publishes
models, ``lineage`` records which data set each model comes from (from the files
each step has, so it holds when steps run in separate processes).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
from pathlib import Path

import joblib
import pandas as pd

from {{ cookiecutter.package_name }} import features, lineage, registry, storage, tracking
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.data import FEATURES, load_dataset, split_dataset, validate_dataset
from {{ cookiecutter.package_name }}.model import TrainingParams, check_quality, evaluate_model, train_model

logger = logging.getLogger(__name__)

# Serving loads the champion, the alias ``settings.model_alias`` names; a new
# model takes it only when it beats the champion on the gate metric, otherwise
# it waits as the challenger.
CHALLENGER = "challenger"
GATE_METRIC = "accuracy"
RAW_DATA = "raw/iris.csv"
"""The storage key of the raw data; the first run lands the data set shipped with scikit-learn there."""


def _git_commit() -> str:
    """The commit the code comes from: ``GIT_COMMIT`` (set it in CI or the image), else git, else "unknown"."""
    if commit := os.environ.get("GIT_COMMIT"):
        return commit
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=Path(__file__).parent, capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return result.stdout.strip() if result.returncode == 0 else "unknown"


def _metrics_path(model_path: Path) -> Path:
    """Where ``evaluate`` leaves the scores of the model at ``model_path`` for ``register``."""
    return model_path.with_name("metrics.json")


def _write(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)


def ingest(dataset_path: Path) -> int:
    """Read the raw data from storage, build and validate the training table at ``dataset_path``; return its rows."""
    if not storage.exists(RAW_DATA):
        storage.write_table(RAW_DATA, load_dataset())
    raw = storage.read_table(RAW_DATA)
    features.publish(raw)
    frame = features.training_frame(raw)
    validate_dataset(frame)
    _write(frame, dataset_path)
    logger.info("ingested %d rows into %s", len(frame), dataset_path)
    return len(frame)


def split(dataset_path: Path, train_path: Path, test_path: Path, test_size: float, seed: int) -> None:
    frame = pd.read_csv(dataset_path)
    validate_dataset(frame)
    train, test = split_dataset(frame, test_size=test_size, seed=seed)
    _write(train, train_path)
    _write(test, test_path)
    lineage.record_split(dataset_path, train_path, test_path, test_size=test_size, seed=seed)


def train(train_path: Path, model_path: Path, params: TrainingParams) -> None:
    model = train_model(pd.read_csv(train_path), params)
    model_path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, model_path)


def evaluate(
    model_path: Path, train_path: Path, test_path: Path, params: TrainingParams, settings: Settings
) -> dict[str, float]:
    """Score the model and record the run, rejected or not; raise ``ModelQualityError`` below the gate."""
    metrics = evaluate_model(joblib.load(model_path), pd.read_csv(test_path))
    logger.info("metrics: %s", metrics)
    _metrics_path(model_path).write_text(json.dumps(metrics), encoding="utf-8")
    passed = metrics[GATE_METRIC] >= settings.min_accuracy
    split_params = {"test_size": settings.test_size, "seed": settings.random_seed}
    run_params: dict[str, float | int | str] = {**params.as_dict(), **split_params, "git_commit": _git_commit()}
    with tracking.start_run(run_name="training"):
        tracking.log_params(run_params)
        tracking.log_dataset(train_path, context="train")
        tracking.log_dataset(test_path, context="test")
        tracking.log_metrics(metrics)
        tracking.log_model(model_path)
        tracking.log_gate(passed=passed, threshold=settings.min_accuracy)
    lineage.record_training(train_path, test_path, model_path, run_params, metrics, passed=passed)
    check_quality(metrics, settings.min_accuracy)
    return metrics


def register(model_path: Path, test_path: Path, settings: Settings) -> str:
    """Publish the evaluated model; it becomes the champion only if it beats the current one.

    Return the URI of the version published, champion or challenger.
    """
    metrics = json.loads(_metrics_path(model_path).read_text(encoding="utf-8"))
    example = pd.read_csv(test_path)[list(FEATURES)].head(5)
    version = registry.publish(joblib.load(model_path), example, metrics, settings)
    lineage.record_publication(model_path, version)
    champion = registry.alias_metrics(settings.model_alias, settings)
    beats = champion is None or metrics[GATE_METRIC] > champion[GATE_METRIC]
    alias = settings.model_alias if beats else CHALLENGER
    registry.set_alias(version, alias, settings)
    logger.info("published version %s as %s (champion before: %s)", version, alias, champion)
    return registry.version_uri(version, settings)
