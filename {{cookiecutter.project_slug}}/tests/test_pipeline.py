"""The local runner end to end: every step, then the published model loads back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }} import registry
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.data import load_dataset
from {{ cookiecutter.package_name }}.model import ModelQualityError, TrainingParams, predict
from {{ cookiecutter.package_name }}.pipeline import STEPS, PipelineResult, main, run_pipeline, step_main


def test_pipeline_publishes_a_model_serving_can_load(trained: PipelineResult, settings: Settings) -> None:
    assert trained.metrics["accuracy"] >= settings.min_accuracy
    files = {p.name for p in trained.run_dir.iterdir()}
    assert files == {"dataset.csv", "train.csv", "test.csv", "model.joblib", "metrics.json"}
    assert trained.model_uri == registry.version_uri("1", settings), "the URI of the version published"
    model = registry.load_model(settings)
    assert [name for _, name in predict(model, load_dataset().iloc[[0, 50, 100]])] == [
        "setosa",
        "versicolor",
        "virginica",
    ]


def test_a_model_that_does_not_beat_the_champion_waits_as_challenger(
    trained: PipelineResult, settings: Settings
) -> None:
    champion = registry.alias_metrics("champion", settings)
    assert champion == pytest.approx(trained.metrics)
    weaker = run_pipeline(settings, TrainingParams(regularization=0.05))
    assert weaker.metrics["accuracy"] < trained.metrics["accuracy"]
    assert registry.alias_metrics("champion", settings) == champion
    assert registry.alias_metrics("challenger", settings) == pytest.approx(weaker.metrics)
    assert weaker.model_uri != trained.model_uri, "a challenger reports its own URI, not the champion's"
    better_or_equal = run_pipeline(settings)
    assert registry.alias_metrics("champion", settings) == champion, "a tie does not move the champion"
    assert registry.alias_metrics("challenger", settings) == pytest.approx(better_or_equal.metrics)


def test_promotion_moves_the_alias_serving_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODEL_ALIAS", "production")
    settings = Settings.from_env()
    result = run_pipeline(settings)
    assert registry.alias_metrics("production", settings) == pytest.approx(result.metrics)
    assert registry.alias_metrics("champion", settings) is None
    assert registry.model_uri(settings).endswith("@production")
    assert registry.load_model(settings) is not None


def test_a_model_below_the_gate_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MIN_ACCURACY", "1.01")
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.splitlines()[-1].startswith("not published: accuracy ")
    assert err.splitlines()[-1].endswith("is below the gate 1.010")


def test_quality_gate_stops_publication(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIN_ACCURACY", "1.01")
    settings = Settings.from_env()
    with pytest.raises(ModelQualityError):
        run_pipeline(settings)
    with pytest.raises(registry.ModelNotFoundError):
        registry.load_model(settings)


def test_console_script_prints_the_result(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--regularization", "0.5"])
    assert re.fullmatch(r"accuracy=\d\.\d{3} model=\S+\n", capsys.readouterr().out)


def test_steps_run_one_by_one_from_the_command_line(settings: Settings, workdir: Path) -> None:
    """What an orchestrator that runs one command per step does, in order, on one run folder."""
    run_dir = workdir / "run"
    for name in STEPS:
        step_main([name, "--run-dir", str(run_dir)])
    assert registry.load_model(settings) is not None
    assert (run_dir / "metrics.json").is_file()
