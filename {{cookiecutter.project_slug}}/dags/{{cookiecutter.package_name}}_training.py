"""Airflow DAG: the training pipeline, one task per step.

The tasks call the same ``{{ cookiecutter.package_name }}.steps`` functions as the local
runner and hand files to each other through XCom (as paths, never data), so
they can run on different workers that share ``WORK_DIR``.
Trigger it by hand or with ``airflow dags test {{ cookiecutter.package_name }}_training``.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from airflow.sdk import dag, get_current_context, task

from {{ cookiecutter.package_name }} import steps
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.model import TrainingParams


def _run_dir() -> Path:
    """A folder of the current DAG run, named after its run id."""
    run_id = str(get_current_context()["run_id"])
    return Settings.from_env().work_dir / re.sub(r"[^A-Za-z0-9_.-]", "_", run_id)


@dag(
    dag_id="{{ cookiecutter.package_name }}_training",
    schedule=None,
    start_date=datetime(2025, 1, 1),
    catchup=False,
    tags=["{{ cookiecutter.project_slug }}", "training"],
    doc_md=__doc__,
)
def training_pipeline() -> None:
    @task
    def ingest() -> str:
        dataset = _run_dir() / "dataset.csv"
        steps.ingest(dataset)
        return str(dataset)

    @task(multiple_outputs=True)
    def split(dataset: str) -> dict[str, str]:
        settings = Settings.from_env()
        train, test = _run_dir() / "train.csv", _run_dir() / "test.csv"
        steps.split(Path(dataset), train, test, test_size=settings.test_size, seed=settings.random_seed)
        return {"train": str(train), "test": str(test)}

    @task
    def train(train_path: str) -> str:
        model = _run_dir() / "model.joblib"
        steps.train(Path(train_path), model, TrainingParams())
        return str(model)

    @task
    def evaluate(model_path: str, test_path: str) -> dict[str, float]:
        min_accuracy = Settings.from_env().min_accuracy
        return steps.evaluate(Path(model_path), Path(test_path), min_accuracy=min_accuracy)

    @task
    def register(model_path: str, test_path: str, metrics: dict[str, float]) -> str:
        return steps.register(Path(model_path), Path(test_path), metrics, TrainingParams(), Settings.from_env())

    parts = split(ingest())
    model = train(parts["train"])
    register(model, parts["test"], evaluate(model, parts["test"]))


training_pipeline()
