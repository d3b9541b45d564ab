"""Feast for real: the repository applies with Feast's CLI, training reads point in time, serving reads online."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from feast import FeatureStore

from {{ cookiecutter.package_name }} import features
from {{ cookiecutter.package_name }}.data import FEATURES, TARGET, load_dataset
from {{ cookiecutter.package_name }}.feature_views import ENTITY_KEY
from {{ cookiecutter.package_name }}.pipeline import PipelineResult, RunFiles

FEAST = str(Path(sys.executable).with_name("feast"))
"""The CLI installed beside this interpreter, whether or not the venv is on PATH."""


def feast_cli(repo: Path, *args: str) -> str:
    return subprocess.run([FEAST, "-c", str(repo), *args], check=True, capture_output=True, text=True).stdout


def test_feast_apply_registers_the_repository_definitions(feature_repo: Path) -> None:
    feast_cli(feature_repo, "apply")
    store = FeatureStore(repo_path=str(feature_repo))
    (view,) = store.list_feature_views()
    assert [field.name for field in view.features] == list(FEATURES)
    assert [entity.name for entity in store.list_entities()] == ["flower"]


def test_feast_materialize_serves_the_published_rows_online(feature_repo: Path) -> None:
    frame = load_dataset()
    features.publish(frame)
    feast_cli(feature_repo, "apply")
    feast_cli(feature_repo, "materialize-incremental", pd.Timestamp.now(tz="UTC").isoformat())
    assert features.online_features([{ENTITY_KEY: 7}, {ENTITY_KEY: 120}]) == [
        {name: float(frame.loc[7, name]) for name in FEATURES},
        {name: float(frame.loc[120, name]) for name in FEATURES},
    ]


def test_historical_features_equal_the_data_set_rows_of_the_same_entities() -> None:
    frame = load_dataset()
    features.publish(frame)
    sample = frame.sample(25, random_state=0)
    training = features.training_frame(sample[[TARGET]])
    assert training[ENTITY_KEY].tolist() == sample.index.tolist()
    expected = sample.reset_index(drop=True)
    pd.testing.assert_frame_equal(training[[*FEATURES, TARGET]], expected[[*FEATURES, TARGET]], check_dtype=False)


def test_training_reads_the_latest_published_values_point_in_time() -> None:
    frame = load_dataset().head(3)
    features.publish(frame)
    features.publish(frame.assign(petal_width_cm=frame["petal_width_cm"] + 1))
    training = features.training_frame(frame)
    assert training["petal_width_cm"].tolist() == (frame["petal_width_cm"] + 1).tolist()
    assert features.online_features([{ENTITY_KEY: 2}])[0]["petal_width_cm"] == float(frame.loc[2, "petal_width_cm"] + 1)


def test_a_row_with_its_measurements_is_served_as_sent_and_one_with_only_an_id_from_the_store() -> None:
    frame = load_dataset()
    features.publish(frame)
    sent = {"sepal_length_cm": 1.0, "sepal_width_cm": 2.0, "petal_length_cm": 3.0, "petal_width_cm": 4.0}
    assert features.online_features([sent, {ENTITY_KEY: 50}]) == [
        sent,
        {name: float(frame.loc[50, name]) for name in FEATURES},
    ]


def test_an_unpublished_id_is_refused_by_name() -> None:
    features.publish(load_dataset().head(5))
    with pytest.raises(features.UnknownEntityError, match=f"{ENTITY_KEY} \\[999\\]"):
        features.online_features([{ENTITY_KEY: 999}])
    with pytest.raises(features.UnknownEntityError, match="999"):
        features.training_frame(pd.DataFrame({TARGET: [0]}, index=[999]))


def test_the_pipeline_trains_on_the_features_feast_serves(trained: PipelineResult) -> None:
    ingested = pd.read_csv(RunFiles(trained.run_dir).dataset)
    assert ingested[ENTITY_KEY].tolist() == list(range(len(load_dataset())))
    some = ingested.sample(5, random_state=0)
    online = features.online_features([{ENTITY_KEY: int(entity_id)} for entity_id in some[ENTITY_KEY]])
    assert online == [{name: float(row[name]) for name in FEATURES} for _, row in some.iterrows()]
