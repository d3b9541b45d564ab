"""The pipeline steps, as functions that exchange files.

Every orchestrator calls these same functions: the local runner
(``pipeline.py``)
{%- if cookiecutter.orchestration == 'airflow' %}, the Airflow DAG (``dags/``){% endif %}
{%- if cookiecutter.orchestration == 'kubeflow' %}, the Kubeflow pipeline (``kubeflow_pipeline.py``){% endif %}.
Passing paths instead of objects is what lets each step run in its own
process, worker or container.
"""

from __future__ import annotations

import logging
from pathlib import Path

import joblib
import pandas as pd

from {{ cookiecutter.package_name }} import registry{% if cookiecutter.experiment_tracking == 'mlflow' %}, tracking{% endif %}
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.data import FEATURES, load_dataset, split_dataset, validate_dataset
from {{ cookiecutter.package_name }}.model import TrainingParams, check_quality, evaluate_model, train_model

logger = logging.getLogger(__name__)


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


def evaluate(model_path: Path, test_path: Path, min_accuracy: float) -> dict[str, float]:
    """Score the model on the test set; raise ``ModelQualityError`` below the gate."""
    metrics = evaluate_model(joblib.load(model_path), pd.read_csv(test_path))
    logger.info("metrics: %s", metrics)
    check_quality(metrics, min_accuracy)
    return metrics


def register(
    model_path: Path, test_path: Path, metrics: dict[str, float], params: TrainingParams, settings: Settings
) -> str:
    """Publish the evaluated model{% if cookiecutter.experiment_tracking == 'mlflow' %} inside a tracked run{% endif %}; return the URI serving loads."""
    model = joblib.load(model_path)
    example = pd.read_csv(test_path)[list(FEATURES)].head(5)
{%- if cookiecutter.experiment_tracking == 'mlflow' %}
    with tracking.training_run(settings, params.as_dict(), metrics) as run_id:
        uri = registry.publish_model(model, example, settings)
        logger.info("run %s published %s", run_id, uri)
{%- else %}
    logger.info("params: %s", params.as_dict())
    uri = registry.publish_model(model, example, settings)
    logger.info("published %s", uri)
{%- endif %}
    return uri
