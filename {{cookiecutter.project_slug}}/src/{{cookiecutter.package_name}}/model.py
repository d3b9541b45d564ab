"""Train, evaluate and use the classifier."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from {{ cookiecutter.package_name }}.data import CLASS_NAMES, FEATURES, TARGET


@dataclass(frozen=True)
class TrainingParams:
    """Hyper-parameters; every field is logged with the run."""

    regularization: float = 1.0
    max_iter: int = 500

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


class ModelQualityError(RuntimeError):
    """The model is below the quality gate and must not be registered."""


def train_model(train: pd.DataFrame, params: TrainingParams) -> Pipeline:
    model = Pipeline(
        [
            ("scale", StandardScaler()),
            ("classify", LogisticRegression(C=params.regularization, max_iter=params.max_iter)),
        ]
    )
    model.fit(train[list(FEATURES)], train[TARGET])
    return model


def evaluate_model(model: Pipeline, test: pd.DataFrame) -> dict[str, float]:
    predicted = model.predict(test[list(FEATURES)])
    return {
        "accuracy": float(accuracy_score(test[TARGET], predicted)),
        "f1_macro": float(f1_score(test[TARGET], predicted, average="macro")),
    }


def check_quality(metrics: dict[str, float], min_accuracy: float) -> None:
    if metrics["accuracy"] < min_accuracy:
        raise ModelQualityError(f"accuracy {metrics['accuracy']:.3f} is below the gate {min_accuracy:.3f}")


def predict(model: Pipeline, rows: pd.DataFrame) -> list[tuple[int, str]]:
    """Class index and class name for each row of ``FEATURES``."""
    labels = model.predict(rows[list(FEATURES)])
    return [(int(label), CLASS_NAMES[int(label)]) for label in labels]
