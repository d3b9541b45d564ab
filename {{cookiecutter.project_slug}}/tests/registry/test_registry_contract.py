"""The registry interface, as every registry implements it: publish, promote, load what serving loads."""

from __future__ import annotations

import pandas as pd
import pytest
from sklearn.pipeline import Pipeline

from {{ cookiecutter.package_name }} import registry
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.data import FEATURES, load_dataset
from {{ cookiecutter.package_name }}.model import TrainingParams, train_model


def _model(regularization: float) -> Pipeline:
    return train_model(load_dataset(), TrainingParams(regularization=regularization))


def _example() -> pd.DataFrame:
    return load_dataset()[list(FEATURES)].head(5)


def test_nothing_published_yet_is_a_clear_error(settings: Settings) -> None:
    with pytest.raises(registry.ModelNotFoundError):
        registry.load_model(settings)


def test_promoted_version_is_the_one_serving_loads(settings: Settings) -> None:
    first, second = _model(1.0), _model(0.01)
    registry.promote(registry.publish(first, _example(), settings), settings)
    version = registry.publish(second, _example(), settings)
    rows = load_dataset()[list(FEATURES)]
    assert registry.load_model(settings).predict(rows).tolist() == first.predict(rows).tolist()
    registry.promote(version, settings)
    assert registry.load_model(settings).predict(rows).tolist() == second.predict(rows).tolist()
    assert registry.model_uri(settings)
