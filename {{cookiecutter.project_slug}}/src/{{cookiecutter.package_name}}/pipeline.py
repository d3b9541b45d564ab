"""Run the training pipeline locally, whole or one step at a time, with no orchestrator or server.

This is the embedded default: ``{{ cookiecutter.project_slug }}-train`` (or ``make train``)
runs every step in this process. ``{{ cookiecutter.project_slug }}-step <step> --run-dir DIR``
runs one step on the files of a run folder: orchestrators that run a command
per step (in a container, say) call that.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from {{ cookiecutter.package_name }} import steps
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.model import ModelQualityError, TrainingParams

STEPS = ("ingest", "split", "train", "evaluate", "register")


@dataclass(frozen=True)
class RunFiles:
    """The files the steps of one run hand to each other, all in one folder."""

    run_dir: Path

    @property
    def dataset(self) -> Path:
        return self.run_dir / "dataset.csv"

    @property
    def train(self) -> Path:
        return self.run_dir / "train.csv"

    @property
    def test(self) -> Path:
        return self.run_dir / "test.csv"

    @property
    def model(self) -> Path:
        return self.run_dir / "model.joblib"

    @property
    def metrics(self) -> Path:
        """Written by ``evaluate`` beside the model, read by ``register``."""
        return self.run_dir / "metrics.json"


@dataclass(frozen=True)
class PipelineResult:
    run_dir: Path
    metrics: dict[str, float]
    model_uri: str


def run_step(name: str, files: RunFiles, settings: Settings, params: TrainingParams) -> None:
    """Run the step called ``name`` on the files of one run."""
    if name == "ingest":
        steps.ingest(files.dataset)
    elif name == "split":
        steps.split(files.dataset, files.train, files.test, test_size=settings.test_size, seed=settings.random_seed)
    elif name == "train":
        steps.train(files.train, files.model, params)
    elif name == "evaluate":
        steps.evaluate(files.model, files.train, files.test, params, settings)
    elif name == "register":
        steps.register(files.model, files.test, settings)
    else:
        raise ValueError(f"unknown step {name!r}: choose one of {', '.join(STEPS)}")


def run_pipeline(settings: Settings, params: TrainingParams | None = None) -> PipelineResult:
    """Ingest, split, train, evaluate and register; every intermediate file lands in one run folder."""
    params = params or TrainingParams()
    files = RunFiles(settings.work_dir / datetime.now(UTC).strftime("run-%Y%m%dT%H%M%S%fZ"))
    for name in STEPS[: STEPS.index("register")]:
        run_step(name, files, settings, params)
    model_uri = steps.register(files.model, files.test, settings)
    metrics = json.loads(files.metrics.read_text(encoding="utf-8"))
    return PipelineResult(run_dir=files.run_dir, metrics=metrics, model_uri=model_uri)


def _parser(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--regularization", type=float, default=TrainingParams.regularization)
    parser.add_argument("--max-iter", type=int, default=TrainingParams.max_iter)
    return parser


@contextmanager
def _gate_refusal_exits() -> Iterator[None]:
    """A model below the quality gate is an outcome, not a crash: say why in one line and exit 1."""
    try:
        yield
    except ModelQualityError as error:
        print(f"not published: {error}", file=sys.stderr)
        raise SystemExit(1) from None


def main(argv: list[str] | None = None) -> None:
    args = _parser("Train, evaluate and register the model locally.").parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    params = TrainingParams(regularization=args.regularization, max_iter=args.max_iter)
    with _gate_refusal_exits():
        result = run_pipeline(Settings.from_env(), params)
    print(f"accuracy={result.metrics['accuracy']:.3f} model={result.model_uri}")


def step_main(argv: list[str] | None = None) -> None:
    parser = _parser("Run one pipeline step on the files of a run folder.")
    parser.add_argument("step", choices=STEPS)
    parser.add_argument("--run-dir", type=Path, required=True, help="the run's folder, shared by its steps")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    params = TrainingParams(regularization=args.regularization, max_iter=args.max_iter)
    with _gate_refusal_exits():
        run_step(args.step, RunFiles(args.run_dir), Settings.from_env(), params)


if __name__ == "__main__":
    main()
