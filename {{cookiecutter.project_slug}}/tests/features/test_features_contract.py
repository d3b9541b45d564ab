"""The features interface: training and serving see the same features for the same rows."""

from __future__ import annotations

from {{ cookiecutter.package_name }} import features
from {{ cookiecutter.package_name }}.data import FEATURES, TARGET, load_dataset


def test_the_training_frame_keeps_every_row_with_its_features_and_target() -> None:
    frame = load_dataset()
    features.publish(frame)
    training = features.training_frame(frame)
    assert len(training) == len(frame)
    assert {*FEATURES, TARGET} <= set(training.columns)


def test_serving_gets_the_features_training_used_for_the_same_rows() -> None:
    frame = load_dataset().head(5)
    features.publish(frame)
    training = features.training_frame(frame)
    online = features.online_features(frame.to_dict(orient="records"))
    assert online == [{name: float(row[name]) for name in FEATURES} for _, row in training.iterrows()]
