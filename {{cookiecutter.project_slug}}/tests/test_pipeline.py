"""The local runner end to end: every step, then the published model loads back."""

from __future__ import annotations

import pytest

from {{ cookiecutter.package_name }} import registry
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.data import load_dataset
from {{ cookiecutter.package_name }}.model import ModelQualityError, predict
from {{ cookiecutter.package_name }}.pipeline import PipelineResult, main, run_pipeline


def test_pipeline_publishes_a_model_serving_can_load(trained: PipelineResult, settings: Settings) -> None:
    assert trained.metrics["accuracy"] >= settings.min_accuracy
    assert {p.name for p in trained.run_dir.iterdir()} == {"dataset.csv", "train.csv", "test.csv", "model.joblib"}
    assert trained.model_uri == registry.model_uri(settings)
    model = registry.load_model(settings)
    assert [name for _, name in predict(model, load_dataset().iloc[[0, 50, 100]])] == [
        "setosa",
        "versicolor",
        "virginica",
    ]


def test_quality_gate_stops_publication(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIN_ACCURACY", "1.01")
    settings = Settings.from_env()
    with pytest.raises(ModelQualityError):
        run_pipeline(settings)
    with pytest.raises(registry.ModelNotFoundError):
        registry.load_model(settings)


def test_console_script_prints_the_result(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--regularization", "0.5"])
    assert f"model={registry.model_uri(settings)}" in capsys.readouterr().out
