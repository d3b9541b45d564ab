from __future__ import annotations

import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.data import (
    FEATURES,
    TARGET,
    DataValidationError,
    load_dataset,
    split_dataset,
    validate_dataset,
)


def test_dataset_ships_with_the_package() -> None:
    frame = load_dataset()
    assert list(frame.columns) == [*FEATURES, TARGET]
    assert len(frame) == 150
    validate_dataset(frame)


@pytest.mark.parametrize(
    ("corrupt", "message"),
    [
        (lambda f: f.drop(columns=[FEATURES[0]]), "missing columns"),
        (lambda f: f.head(10), "rows"),
        (lambda f: f.assign(**{FEATURES[1]: None}), "null values"),
        (lambda f: f.assign(**{FEATURES[2]: -1.0}), "negative"),
        (lambda f: f.assign(**{TARGET: 7}), "unknown class"),
        (lambda f: f.assign(**{TARGET: 0}), "single class"),
    ],
)
def test_validation_rejects_bad_data(corrupt, message: str) -> None:
    with pytest.raises(DataValidationError, match=message):
        validate_dataset(corrupt(load_dataset()))


def test_split_is_stratified_and_reproducible() -> None:
    frame = load_dataset()
    train, test = split_dataset(frame, test_size=0.2, seed=1)
    again, _ = split_dataset(frame, test_size=0.2, seed=1)
    assert len(train) == 120
    assert len(test) == 30
    assert set(test[TARGET]) == set(frame[TARGET])
    pd.testing.assert_frame_equal(train, again)
