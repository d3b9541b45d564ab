"""The loop closed with the chosen tools: serve, log, see drift, ask for a retrain, run it, register a new version.

The real server of the chosen serving tool answers on 127.0.0.1 and logs what it
predicted; the monitor compares that with the training data through the chosen
drift tool and publishes on the chosen broker; the listener starts the run on the
chosen orchestrator (``launch_runs_here``, from ``conftest.py`` beside this file,
says whether the run happens here, so its model is registered when it returns).
"""

from __future__ import annotations

import json
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from {{ cookiecutter.package_name }} import registry, retrain
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.data import FEATURES, load_dataset, split_dataset
from {{ cookiecutter.package_name }}.drift_monitor import MonitorResult, MonitorSettings, run_monitor
from {{ cookiecutter.package_name }}.pipeline import PipelineResult
from {{ cookiecutter.package_name }}.prediction_log import log_path
from {{ cookiecutter.package_name }}.steps import CHALLENGER

BATCH = 25


@pytest.fixture
def topic(monkeypatch: pytest.MonkeyPatch) -> str:
    """A retrain topic of this test's own: a shared broker may hold other tests' requests."""
    name = f"retrain-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("RETRAIN_TOPIC", name)
    return name


@pytest.fixture
def served(trained: PipelineResult, topic: str, start_server: Callable[..., str]) -> str:
    """The base URL of the chosen server, serving the model the pipeline published."""
    del trained, topic  # requested for the model and the topic the server and the monitor share
    module = "{{ cookiecutter.package_name }}.service"
    return start_server(lambda port: [sys.executable, "-m", module, "--host", "127.0.0.1", "--port", str(port)])


def _traffic() -> pd.DataFrame:
    """Flowers like the training data's: half the data set, in another order."""
    return split_dataset(load_dataset(), test_size=0.5, seed=1)[1][list(FEATURES)]


def _send(url: str, traffic: pd.DataFrame) -> None:
    rows: list[dict[str, Any]] = traffic.to_dict("records")
    for start in range(0, len(rows), BATCH):
        request = urllib.request.Request(
            f"{url}/predict",
            data=json.dumps({"instances": rows[start : start + BATCH]}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200


def _wait_for_log(settings: Settings, expected: int, timeout_s: float = 30.0) -> list[dict[str, Any]]:
    """The lines the server's writer thread wrote, once all ``expected`` are there."""
    path = log_path(settings)
    deadline = time.monotonic() + timeout_s
    while True:
        lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
        if len(lines) >= expected:
            return [json.loads(line) for line in lines]
        assert time.monotonic() < deadline, f"{len(lines)} of {expected} predictions logged in {timeout_s} s"
        time.sleep(0.1)


def _serve_and_monitor(url: str, settings: Settings, traffic: pd.DataFrame) -> MonitorResult:
    _send(url, traffic)
    lines = _wait_for_log(settings, expected=len(traffic))
    assert {line["model_version"] for line in lines} == {registry.model_uri(settings)}
    result = run_monitor(MonitorSettings.from_env(settings))
    assert result is not None, "the monitor found too few logged predictions"
    assert result.rows == len(traffic)
    assert result.report_path.is_file()
    return result


@pytest.mark.integration
def test_shifted_traffic_retrains_and_registers_a_new_version(
    launch_runs_here: bool, served: str, settings: Settings
) -> None:
    assert registry.alias_metrics(CHALLENGER, settings) is None
    shifted = _traffic() * 1.6 + 2.0
    result = _serve_and_monitor(served, settings, shifted)
    assert result.report.drifted
    assert result.retrain_requested
    runs = retrain.listen(max_messages=1, wait_s=30)
    assert len(runs) == 1, "the listener started no run for the monitor's request"
    assert runs[0].strip()
    if launch_runs_here:
        # Trained on the same data, the new version ties with the champion: the gate keeps it as challenger.
        assert registry.alias_metrics(CHALLENGER, settings) is not None, "the run registered no new version"


@pytest.mark.integration
def test_traffic_like_the_training_data_retrains_nothing(
    launch_runs_here: bool, served: str, settings: Settings
) -> None:
    result = _serve_and_monitor(served, settings, _traffic())
    assert not result.report.drifted
    assert not result.retrain_requested
    assert retrain.listen(max_messages=1, wait_s=2) == [], "a retrain request was published without drift"
    if launch_runs_here:
        assert registry.alias_metrics(CHALLENGER, settings) is None
