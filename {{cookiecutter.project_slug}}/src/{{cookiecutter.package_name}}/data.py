"""Load, validate and split the training data.

The default data set is Iris, which ships inside scikit-learn: the pipeline
runs offline with no download. Replace ``load_dataset`` to train on your data;
keep ``validate_dataset`` strict so bad data never reaches training.
"""

from __future__ import annotations

import pandas as pd
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split

FEATURES = ("sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm")
TARGET = "species"
CLASS_NAMES = ("setosa", "versicolor", "virginica")
MIN_ROWS = 30


class DataValidationError(ValueError):
    """The data set breaks an expectation; the message says which."""


def load_dataset() -> pd.DataFrame:
    """Return the Iris data set as one frame of ``FEATURES`` plus the ``TARGET`` class index."""
    iris = load_iris(as_frame=True)
    frame = iris.data.copy()
    frame.columns = list(FEATURES)
    frame[TARGET] = iris.target
    return frame


def validate_dataset(frame: pd.DataFrame) -> None:
    """Raise ``DataValidationError`` unless ``frame`` is fit to train on."""
    missing = [column for column in (*FEATURES, TARGET) if column not in frame.columns]
    if missing:
        raise DataValidationError(f"missing columns: {missing}")
    if len(frame) < MIN_ROWS:
        raise DataValidationError(f"only {len(frame)} rows; at least {MIN_ROWS} are needed")
    nulls = frame[[*FEATURES, TARGET]].isna().sum()
    if nulls.any():
        raise DataValidationError(f"null values in: {sorted(nulls[nulls > 0].index)}")
    if (frame[list(FEATURES)] < 0).to_numpy().any():
        raise DataValidationError("measurements must not be negative")
    unknown = set(frame[TARGET].unique()) - set(range(len(CLASS_NAMES)))
    if unknown:
        raise DataValidationError(f"unknown class indices: {sorted(unknown)}")
    if frame[TARGET].nunique() < 2:
        raise DataValidationError("the target has a single class; nothing to learn")


def split_dataset(frame: pd.DataFrame, test_size: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split into train and test frames, stratified so every class is in both."""
    train, test = train_test_split(frame, test_size=test_size, random_state=seed, stratify=frame[TARGET])
    return train.reset_index(drop=True), test.reset_index(drop=True)
