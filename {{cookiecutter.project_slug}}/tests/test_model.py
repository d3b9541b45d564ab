from __future__ import annotations

import pytest

from {{ cookiecutter.package_name }}.data import load_dataset, split_dataset
from {{ cookiecutter.package_name }}.model import (
    ModelQualityError,
    TrainingParams,
    check_quality,
    evaluate_model,
    predict,
    train_model,
)


def test_trained_model_passes_the_quality_gate() -> None:
    train, test = split_dataset(load_dataset(), test_size=0.2, seed=42)
    model = train_model(train, TrainingParams())
    metrics = evaluate_model(model, test)
    assert metrics["accuracy"] >= 0.9
    check_quality(metrics, min_accuracy=0.9)
    assert predict(model, test.head(3))[0][1] in {"setosa", "versicolor", "virginica"}


def test_quality_gate_refuses_a_weak_model() -> None:
    with pytest.raises(ModelQualityError, match="below the gate"):
        check_quality({"accuracy": 0.5, "f1_macro": 0.5}, min_accuracy=0.8)
