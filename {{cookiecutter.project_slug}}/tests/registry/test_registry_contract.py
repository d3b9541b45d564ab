"""The registry interface, as every registry implements it: publish, alias, load what serving loads."""

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
    assert registry.alias_metrics("champion", settings) is None


def test_serving_loads_the_version_behind_the_champion_alias(settings: Settings) -> None:
    first, second = _model(1.0), _model(0.01)
    registry.set_alias(registry.publish(first, _example(), {"accuracy": 0.9}, settings), "champion", settings)
    version = registry.publish(second, _example(), {"accuracy": 0.95}, settings)
    rows = load_dataset()[list(FEATURES)]
    assert registry.load_model(settings).predict(rows).tolist() == first.predict(rows).tolist()
    registry.set_alias(version, "champion", settings)
    assert registry.load_model(settings).predict(rows).tolist() == second.predict(rows).tolist()
    assert registry.alias_metrics("champion", settings) == {"accuracy": 0.95}
    assert registry.model_uri(settings)


def test_aliases_are_independent(settings: Settings) -> None:
    champion = registry.publish(_model(1.0), _example(), {"accuracy": 0.9}, settings)
    challenger = registry.publish(_model(0.01), _example(), {"accuracy": 0.8}, settings)
    registry.set_alias(champion, "champion", settings)
    registry.set_alias(challenger, "challenger", settings)
    assert registry.alias_metrics("champion", settings) == {"accuracy": 0.9}
    assert registry.alias_metrics("challenger", settings) == {"accuracy": 0.8}
