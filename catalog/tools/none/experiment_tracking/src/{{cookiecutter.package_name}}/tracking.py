"""Run tracking with no tracker: each call writes one log line and nothing is stored.

Choose a tracker (``mlops-template update --set experiment_tracking=<tool>``)
to keep runs; the pipeline calls the same functions either way.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

logger = logging.getLogger(__name__)


@contextmanager
def start_run(run_name: str) -> Iterator[None]:
    """Group the calls inside the ``with`` block as one run."""
    logger.info("run %s started", run_name)
    yield
    logger.info("run %s finished", run_name)


def log_params(params: Mapping[str, float | int | str]) -> None:
    logger.info("params %s", dict(params))


def log_metrics(metrics: Mapping[str, float]) -> None:
    logger.info("metrics %s", dict(metrics))


def log_dataset(path: Path, context: str) -> None:
    logger.info("%s dataset %s", context, path)


def log_model(model_path: Path) -> None:
    logger.info("model file %s", model_path)


def log_gate(passed: bool, threshold: float) -> None:
    logger.info("quality gate %s (threshold %s)", "passed" if passed else "failed", threshold)
