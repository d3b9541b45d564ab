"""Prefect flow: the training pipeline, one task per step.

The tasks call the same ``{{ cookiecutter.package_name }}.steps`` functions as the local
runner and hand each other paths, never data, so a task retried or run on
another worker reads the files of its own flow run (under ``WORK_DIR``). Run it
locally with ``{{ cookiecutter.project_slug }}-flow`` (a temporary Prefect server starts when no
``PREFECT_API_URL`` is set), or deploy it with ``prefect deploy`` (see ``prefect.yaml``).
"""

from __future__ import annotations

import argparse
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from prefect import flow, get_run_logger, task
from prefect.runtime import flow_run
from prefect.settings import get_current_settings
from prefect.tasks import exponential_backoff
from pydantic import Field

from {{ cookiecutter.package_name }} import steps
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.model import TrainingParams

FLOW_NAME = "{{ cookiecutter.project_slug }}-training"
RETRIES = 2
# 10 s, then 20 s: long enough for a registry or tracking server to come back.
RETRY_DELAYS = exponential_backoff(backoff_factor=10)
TIMEOUT_SECONDS = 30 * 60

# PREFECT_LOGGING_EXTRA_LOGGERS sends the steps' log records to the run's logs, but Prefect leaves
# their logger's level unset, and the root logger's WARNING would drop every INFO line.
logging.getLogger("{{ cookiecutter.package_name }}").setLevel(get_current_settings().logging.level)


@task(retries=RETRIES, retry_delay_seconds=RETRY_DELAYS, timeout_seconds=TIMEOUT_SECONDS)
def ingest(run_dir: Path) -> Path:
    dataset = run_dir / "dataset.csv"
    steps.ingest(dataset)
    return dataset


@task(retries=RETRIES, retry_delay_seconds=RETRY_DELAYS, timeout_seconds=TIMEOUT_SECONDS)
def split(dataset: Path, settings: Settings) -> tuple[Path, Path]:
    train, test = dataset.with_name("train.csv"), dataset.with_name("test.csv")
    steps.split(dataset, train, test, test_size=settings.test_size, seed=settings.random_seed)
    return train, test


@task(retries=RETRIES, retry_delay_seconds=RETRY_DELAYS, timeout_seconds=TIMEOUT_SECONDS)
def train(train_path: Path, params: TrainingParams) -> Path:
    model = train_path.with_name("model.joblib")
    steps.train(train_path, model, params)
    return model


# A model below the quality gate stays below it: retrying cannot help.
@task(retries=0, timeout_seconds=TIMEOUT_SECONDS)
def evaluate(
    model_path: Path, train_path: Path, test_path: Path, params: TrainingParams, settings: Settings
) -> dict[str, float]:
    return steps.evaluate(model_path, train_path, test_path, params, settings)


@task(retries=RETRIES, retry_delay_seconds=RETRY_DELAYS, timeout_seconds=TIMEOUT_SECONDS)
def register(model_path: Path, test_path: Path, settings: Settings) -> str:
    return steps.register(model_path, test_path, settings)


def _run_dir(settings: Settings) -> Path:
    """A folder of the current flow run, named after its id, so concurrent runs never share files."""
    run_id = flow_run.get_id() or datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return settings.work_dir / f"prefect-{run_id}"


@flow(name=FLOW_NAME)
def training_flow(
    regularization: Annotated[float, Field(gt=0)] = TrainingParams.regularization,
    max_iter: Annotated[int, Field(ge=1)] = TrainingParams.max_iter,
) -> str:
    """Ingest, split, train, evaluate and register; return the URI serving loads the model from."""
    settings = Settings.from_env()
    params = TrainingParams(regularization=regularization, max_iter=max_iter)
    train_path, test_path = split(ingest(_run_dir(settings)), settings)
    model_path = train(train_path, params)
    metrics = evaluate(model_path, train_path, test_path, params, settings)
    model_uri = register(model_path, test_path, settings)
    get_run_logger().info("accuracy=%.3f model=%s", metrics["accuracy"], model_uri)
    return model_uri


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the Prefect training flow once, in this process.")
    parser.add_argument("--regularization", type=float, default=TrainingParams.regularization)
    parser.add_argument("--max-iter", type=int, default=TrainingParams.max_iter)
    args = parser.parse_args(argv)
    training_flow(regularization=args.regularization, max_iter=args.max_iter)


if __name__ == "__main__":
    main()
