"""Lineage with no metadata store: each call writes one debug log line and nothing is kept.

The steps record which data set each model was trained on through these
functions; choose a metadata store (``mlops-template update --set
metadata_store=<tool>``) to keep that lineage and query it later.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

logger = logging.getLogger(__name__)


def record_split(dataset: Path, train: Path, test: Path, test_size: float, seed: int) -> None:
    """``train`` and ``test`` were split from ``dataset``."""
    logger.debug("split %s into %s and %s (test_size=%s, seed=%s)", dataset, train, test, test_size, seed)


def record_training(
    train: Path,
    test: Path,
    model: Path,
    params: Mapping[str, float | int | str],
    metrics: Mapping[str, float],
    passed: bool,
) -> None:
    """``model`` was trained on ``train`` with ``params`` and scored ``metrics`` on ``test``."""
    logger.debug(
        "trained %s on %s, scored on %s: params %s, metrics %s, quality gate %s",
        model,
        train,
        test,
        dict(params),
        dict(metrics),
        "passed" if passed else "failed",
    )


def record_publication(model: Path, version: str) -> None:
    """``model`` was published to the model registry as ``version``."""
    logger.debug("published %s as version %s", model, version)
