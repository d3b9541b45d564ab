"""The monitor, with the chosen drift tool and broker: shifted traffic asks for one retrain, normal traffic none."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

import pandas as pd
import pytest

from {{ cookiecutter.package_name }} import events, steps, storage
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.data import CLASS_NAMES, FEATURES, load_dataset, split_dataset
from {{ cookiecutter.package_name }}.drift_monitor import MonitorError, MonitorSettings, main, run_monitor
from {{ cookiecutter.package_name }}.prediction_log import PredictionLog, append_to, log_path


@pytest.fixture
def monitor(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> MonitorSettings:
    """The documented defaults, on a topic of this test's own (a shared broker may hold other tests' requests)."""
    monkeypatch.setenv("RETRAIN_TOPIC", f"retrain-{uuid.uuid4().hex[:12]}")
    return MonitorSettings.from_env(settings)


@pytest.fixture
def trained_on_iris(monitor: MonitorSettings) -> MonitorSettings:
    """The raw data in storage, as the first pipeline run leaves it."""
    storage.write_table(steps.RAW_DATA, load_dataset())
    return monitor


def _serve(settings: Settings, traffic: pd.DataFrame) -> None:
    """Log the traffic as the service does: one record call per request."""
    log = PredictionLog(append_to(log_path(settings)))
    for row in traffic[list(FEATURES)].to_dict("records"):
        log.record([row], [CLASS_NAMES[0]], model_version="1", latency_s=0.002)
    log.close()


def _traffic() -> pd.DataFrame:
    return split_dataset(load_dataset(), test_size=0.5, seed=1)[1]


def _retrain_requests(topic: str) -> list[dict[str, Any]]:
    received: list[dict[str, Any]] = []
    events.consume(topic, received.append, wait_s=2)
    return received


def test_shifted_traffic_writes_a_drift_report_and_asks_for_one_retrain(
    settings: Settings, trained_on_iris: MonitorSettings
) -> None:
    shifted = _traffic()
    shifted[list(FEATURES)] = shifted[list(FEATURES)] * 1.6 + 2.0
    _serve(settings, shifted)
    result = run_monitor(trained_on_iris)
    assert result is not None
    assert result.report.drifted
    assert result.retrain_requested
    assert result.rows == len(shifted)
    assert result.report_path.is_file()
    assert result.report_path.stat().st_size > 0
    assert result.report_path.is_relative_to(trained_on_iris.reports_dir)
    [request] = _retrain_requests(trained_on_iris.retrain_topic)
    assert request["reason"] == "drift"
    assert request["score"] == result.report.score
    assert request["report"] == str(result.report_path)


def test_traffic_like_the_training_data_asks_for_no_retrain(
    settings: Settings, trained_on_iris: MonitorSettings
) -> None:
    _serve(settings, _traffic())
    result = run_monitor(trained_on_iris)
    assert result is not None
    assert not result.report.drifted
    assert not result.retrain_requested
    assert result.report_path.is_file()
    assert _retrain_requests(trained_on_iris.retrain_topic) == []


def test_only_the_latest_window_is_compared(settings: Settings, trained_on_iris: MonitorSettings) -> None:
    shifted = _traffic()
    shifted[list(FEATURES)] = shifted[list(FEATURES)] * 1.6 + 2.0
    _serve(settings, shifted)
    _serve(settings, _traffic())
    result = run_monitor(replace(trained_on_iris, window=len(_traffic())))
    assert result is not None
    assert not result.report.drifted


def test_too_little_traffic_compares_nothing(
    settings: Settings, trained_on_iris: MonitorSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    _serve(settings, _traffic().head(trained_on_iris.min_rows - 1))
    assert run_monitor(trained_on_iris) is None
    main([])
    assert "nothing to compare yet" in capsys.readouterr().out
    assert not trained_on_iris.reports_dir.exists()


def test_with_no_training_data_the_monitor_says_to_train_first(settings: Settings, monitor: MonitorSettings) -> None:
    _serve(settings, _traffic())
    with pytest.raises(MonitorError, match="run the training pipeline first"):
        run_monitor(monitor)


def test_the_command_prints_the_score_and_the_request(
    settings: Settings, trained_on_iris: MonitorSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    shifted = _traffic()
    shifted[list(FEATURES)] = shifted[list(FEATURES)] + 3.0
    _serve(settings, shifted)
    main([])
    output = capsys.readouterr().out
    assert "drift_score=" in output
    assert "drifted=True" in output
    assert f"retrain requested on topic {trained_on_iris.retrain_topic!r}" in output
    assert len(_retrain_requests(trained_on_iris.retrain_topic)) == 1
