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
{%- if cookiecutter.model_registry == 'mlflow' %}


def test_each_run_registers_a_new_version_under_the_alias(trained: PipelineResult, settings: Settings) -> None:
    from mlflow import MlflowClient

    run_pipeline(settings)
    client = MlflowClient(tracking_uri=settings.tracking_uri)
    versions = client.search_model_versions(f"name='{settings.model_name}'")
    assert sorted(int(v.version) for v in versions) == [1, 2]
    assert int(client.get_model_version_by_alias(settings.model_name, settings.model_alias).version) == 2
{%- endif %}
{%- if cookiecutter.experiment_tracking == 'mlflow' %}


def test_run_is_tracked_with_params_and_metrics(trained: PipelineResult, settings: Settings) -> None:
    import mlflow

    mlflow.set_tracking_uri(settings.tracking_uri)
    runs = mlflow.search_runs(experiment_names=[settings.experiment_name], output_format="list")
    assert len(runs) == 1
    assert runs[0].data.params["regularization"] == "1.0"
    assert runs[0].data.metrics["accuracy"] == pytest.approx(trained.metrics["accuracy"])
{%- endif %}


def test_quality_gate_stops_registration(settings_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIN_ACCURACY", "1.01")
    settings = Settings.from_env()
    with pytest.raises(ModelQualityError):
        run_pipeline(settings)
    with pytest.raises(Exception):  # noqa: B017, PT011 - the backend decides which "not found" error
        registry.load_model(settings)


def test_console_script_prints_the_result(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--regularization", "0.5"])
    assert f"model={registry.model_uri(settings)}" in capsys.readouterr().out
