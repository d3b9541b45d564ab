"""Run the whole training pipeline locally, with no orchestrator or server.

This is the embedded default: ``{{ cookiecutter.project_slug }}-train`` (or ``make train``)
runs every step in this process.
"""

from __future__ import annotations

import argparse
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from {{ cookiecutter.package_name }} import steps
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.model import TrainingParams


@dataclass(frozen=True)
class PipelineResult:
    run_dir: Path
    metrics: dict[str, float]
    model_uri: str


def run_pipeline(settings: Settings, params: TrainingParams | None = None) -> PipelineResult:
    """Ingest, split, train, evaluate and register; every intermediate file lands in one run folder."""
    params = params or TrainingParams()
    run_dir = settings.work_dir / datetime.now(UTC).strftime("run-%Y%m%dT%H%M%S%fZ")
    dataset, train, test, model = (run_dir / name for name in ("dataset.csv", "train.csv", "test.csv", "model.joblib"))
    steps.ingest(dataset)
    steps.split(dataset, train, test, test_size=settings.test_size, seed=settings.random_seed)
    steps.train(train, model, params)
    metrics = steps.evaluate(model, train, test, params, settings)
    uri = steps.register(model, test, settings)
    return PipelineResult(run_dir=run_dir, metrics=metrics, model_uri=uri)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Train, evaluate and register the model locally.")
    parser.add_argument("--regularization", type=float, default=TrainingParams.regularization)
    parser.add_argument("--max-iter", type=int, default=TrainingParams.max_iter)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    params = TrainingParams(regularization=args.regularization, max_iter=args.max_iter)
    result = run_pipeline(Settings.from_env(), params)
    print(f"accuracy={result.metrics['accuracy']:.3f} model={result.model_uri}")


if __name__ == "__main__":
    main()
