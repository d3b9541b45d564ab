"""The Feast definitions: one entity per flower, its four measurements in one feature view.

``feature_repo/`` re-exports these objects for ``feast apply``, and ``features.publish``
applies the same objects, so the package and the feature repository cannot disagree.
The file source's path is relative to the feature repository, like the stores in its
``feature_store.yaml``: the data sits beside it in ``feast_data/``, out of git and the image.
"""

from __future__ import annotations

from datetime import timedelta

from feast import Entity, FeatureView, Field, FileSource, ValueType
from feast.types import Float64

from {{ cookiecutter.package_name }}.data import FEATURES

ENTITY_KEY = "flower_id"
"""A flower's id: its row number in the raw data set, which only grows by appending."""
EVENT_TIMESTAMP = "event_timestamp"
"""When the row's features were published; point-in-time joins read the latest as of the entity's time."""

flower = Entity(
    name="flower",
    join_keys=[ENTITY_KEY],
    value_type=ValueType.INT64,
    description="One flower of the raw data set, by its row number.",
)

measurements_source = FileSource(
    name="iris_measurements_source",
    path="../feast_data/iris_measurements.parquet",
    timestamp_field=EVENT_TIMESTAMP,
    description="Every published row of measurements, appended with its publication time.",
)

iris_measurements = FeatureView(
    name="iris_measurements",
    entities=[flower],
    # Measurements do not go stale: no time-to-live for point-in-time joins.
    ttl=timedelta(0),
    schema=[Field(name=name, dtype=Float64) for name in FEATURES],
    source=measurements_source,
    online=True,
    description="The four measurements of each flower, in centimetres.",
)
