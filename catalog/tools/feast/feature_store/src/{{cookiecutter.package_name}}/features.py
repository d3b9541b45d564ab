"""Features from Feast: published to a file source, served point in time to training and online to the service.

``publish`` appends the rows to the feature view's Parquet source with their
entity id and publication time, applies the definitions (``feature_views.py``) and
materialises the new rows to the online store. ``training_frame`` asks Feast for
the features of the frame's entities as of now (a point-in-time join), keeping the
frame's other columns such as the target. ``online_features`` uses a row's own
measurements when it carries them all, else looks its ``flower_id`` up in the
online store. The feature repository is ``FEAST_REPO_PATH`` (default ``feature_repo``).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from feast import FeatureStore, FileSource

from {{ cookiecutter.package_name }}.data import FEATURES
from {{ cookiecutter.package_name }}.feature_views import (
    ENTITY_KEY,
    EVENT_TIMESTAMP,
    flower,
    iris_measurements,
    measurements_source,
)

FEATURE_REFS = [f"{iris_measurements.name}:{name}" for name in FEATURES]


class UnknownEntityError(LookupError):
    """Features were asked for an entity that was never published."""


def repo_path() -> Path:
    return Path(os.environ.get("FEAST_REPO_PATH", "feature_repo"))


def _store() -> FeatureStore:
    path = repo_path()
    if not (path / "feature_store.yaml").is_file():
        raise FileNotFoundError(
            f"no Feast feature repository at {path.resolve()}: run from the project root or set FEAST_REPO_PATH"
        )
    return FeatureStore(repo_path=str(path))


def with_entity_ids(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its ``flower_id`` column: kept when present, else each row's number in the frame's index."""
    if ENTITY_KEY not in frame.columns:
        frame = frame.assign(**{ENTITY_KEY: frame.index.astype("int64")})
    duplicated = frame[ENTITY_KEY][frame[ENTITY_KEY].duplicated()]
    if not duplicated.empty:
        raise ValueError(f"{ENTITY_KEY} must identify one row; repeated: {sorted(set(duplicated))[:5]}")
    return frame


def _now() -> pd.Timestamp:
    return pd.Timestamp.now(tz="UTC")


def publish(frame: pd.DataFrame) -> None:
    store = _store()
    rows = with_entity_ids(frame)[[ENTITY_KEY, *FEATURES]].assign(**{EVENT_TIMESTAMP: _now()})
    source = Path(FileSource.get_uri_for_file_path(store.repo_path, measurements_source.path))
    if source.is_file():
        rows = pd.concat([pd.read_parquet(source), rows], ignore_index=True)
    source.parent.mkdir(parents=True, exist_ok=True)
    rows.to_parquet(source, index=False)
    store.apply([flower, measurements_source, iris_measurements])
    # Feast reports its progress on standard output, where the project's commands print
    # their results for other programs to read: keep it on standard error.
    with contextlib.redirect_stdout(sys.stderr):
        store.materialize_incremental(end_date=_now().to_pydatetime())


def training_frame(frame: pd.DataFrame) -> pd.DataFrame:
    labelled = with_entity_ids(frame)
    entities = labelled.drop(columns=[name for name in FEATURES if name in labelled.columns])
    historical = (
        _store()
        .get_historical_features(entity_df=entities.assign(**{EVENT_TIMESTAMP: _now()}), features=FEATURE_REFS)
        .to_df()
    )
    # Feast returns the rows in its own order: put them back in the frame's.
    joined = entities.merge(historical[[ENTITY_KEY, *FEATURES]], on=ENTITY_KEY, how="left")
    unpublished = joined.loc[joined[list(FEATURES)].isna().any(axis=1), ENTITY_KEY]
    if not unpublished.empty:
        raise UnknownEntityError(f"no features for {ENTITY_KEY} {unpublished.tolist()[:5]}: publish them first")
    return joined


def _carries_features(row: Mapping[str, Any]) -> bool:
    return all(name in row for name in FEATURES)


def _lookup(ids: list[int]) -> list[dict[str, float]]:
    if not ids:
        return []
    entity_rows: list[dict[str, Any]] = [{ENTITY_KEY: entity_id} for entity_id in ids]
    found = _store().get_online_features(features=FEATURE_REFS, entity_rows=entity_rows).to_dict()
    unknown = [entity_id for entity_id, value in zip(ids, found[FEATURES[0]], strict=True) if value is None]
    if unknown:
        raise UnknownEntityError(f"no online features for {ENTITY_KEY} {unknown[:5]}: publish them first")
    return [{name: float(found[name][index]) for name in FEATURES} for index in range(len(ids))]


def online_features(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, float]]:
    unidentified = [row for row in rows if not _carries_features(row) and ENTITY_KEY not in row]
    if unidentified:
        raise ValueError(f"a row needs all of {', '.join(FEATURES)}, or its {ENTITY_KEY}; got {unidentified[0]}")
    stored = iter(_lookup([int(row[ENTITY_KEY]) for row in rows if not _carries_features(row)]))
    return [{name: float(row[name]) for name in FEATURES} if _carries_features(row) else next(stored) for row in rows]
