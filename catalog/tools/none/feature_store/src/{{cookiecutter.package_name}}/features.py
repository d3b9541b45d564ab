"""Features with no feature store: the data set's columns are the features, for training and serving alike.

``publish`` keeps nothing, ``training_frame`` is the frame it is given and
``online_features`` the request's own values, so training and serving see
exactly the same columns. Choose a feature store (``mlops-template update --set
feature_store=<tool>``) to compute features once and serve them by entity.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from {{ cookiecutter.package_name }}.data import FEATURES

logger = logging.getLogger(__name__)


def publish(frame: pd.DataFrame) -> None:
    logger.debug("no feature store: %d rows not published", len(frame))


def training_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return frame


def online_features(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, float]]:
    return [{name: float(row[name]) for name in FEATURES} for row in rows]
