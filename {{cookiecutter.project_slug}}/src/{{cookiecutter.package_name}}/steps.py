"""The pipeline steps, as functions that exchange files.

The local runner (``pipeline.py``) and every orchestrator call these same
functions. Passing paths instead of objects is what lets each step run in its
own process, worker or container. The steps reach tools only through the stage
interfaces: ``tracking`` records runs, ``registry`` publishes models.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
from pathlib import Path

import joblib
import pandas as pd

from {{ cookiecutter.package_name }} import registry, tracking
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.data import FEATURES, load_dataset, split_dataset, validate_dataset
from {{ cookiecutter.package_name }}.model import TrainingParams, check_quality, evaluate_model, train_model

logger = logging.getLogger(__name__)

# Serving loads the champion; a new model takes that alias only when it beats
# the champion on the gate metric, otherwise it waits as the challenger.
CHAMPION, CHALLENGER = "champion", "challenger"
GATE_METRIC = "accuracy"


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
    """Load and validate the data set, write it to ``dataset_path``; return the row count."""
    frame = load_dataset()
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
    with tracking.start_run(run_name="training"):
        split = {"test_size": settings.test_size, "seed": settings.random_seed}
        tracking.log_params({**params.as_dict(), **split, "git_commit": _git_commit()})
        tracking.log_dataset(train_path, context="train")
        tracking.log_dataset(test_path, context="test")
        tracking.log_metrics(metrics)
        tracking.log_model(model_path)
        tracking.log_gate(passed=passed, threshold=settings.min_accuracy)
    check_quality(metrics, settings.min_accuracy)
    return metrics


def register(model_path: Path, test_path: Path, settings: Settings) -> str:
    """Publish the evaluated model; it becomes the champion only if it beats the current one. Return its URI."""
    metrics = json.loads(_metrics_path(model_path).read_text(encoding="utf-8"))
    example = pd.read_csv(test_path)[list(FEATURES)].head(5)
    version = registry.publish(joblib.load(model_path), example, metrics, settings)
    champion = registry.alias_metrics(CHAMPION, settings)
    alias = CHAMPION if champion is None or metrics[GATE_METRIC] > champion[GATE_METRIC] else CHALLENGER
    registry.set_alias(version, alias, settings)
    logger.info("published version %s as %s (champion: %s)", version, alias, champion)
    return registry.model_uri(settings)
