"""The prediction service, as every server implements it, in-process.

``client`` and ``client_without_model`` come from ``conftest.py`` beside this
file: the chosen server's own test client, against a model published by a real
pipeline run.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from {{ cookiecutter.package_name }} import monitoring, registry
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.prediction_log import log_path

SETOSA = {"sepal_length_cm": 5.1, "sepal_width_cm": 3.5, "petal_length_cm": 1.4, "petal_width_cm": 0.2}
VIRGINICA = {"sepal_length_cm": 7.7, "sepal_width_cm": 3.0, "petal_length_cm": 6.1, "petal_width_cm": 2.3}


def _logged(settings: Settings, expected: int, timeout_s: float = 10.0) -> list[dict[str, Any]]:
    """The prediction log's lines, once the writer thread wrote ``expected`` of them (or the time is up)."""
    path = log_path(settings)
    deadline = time.monotonic() + timeout_s
    while True:
        lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
        if len(lines) >= expected or time.monotonic() > deadline:
            return [json.loads(line) for line in lines]
        time.sleep(0.05)


@pytest.mark.usefixtures("trained")
def test_health_names_the_loaded_model(client: Any, settings: Settings) -> None:
    status, body = client.get("/health")
    assert status == 200
    assert body == {"status": "ok", "model_uri": registry.model_uri(settings)}


def test_predict_returns_one_class_per_instance(client: Any) -> None:
    status, body = client.post("/predict", {"instances": [SETOSA, VIRGINICA]})
    assert status == 200
    assert [p["class_name"] for p in body["predictions"]] == ["setosa", "virginica"]


@pytest.mark.parametrize(
    "body",
    [
        {"instances": []},
        {"instances": [{**SETOSA, "petal_width_cm": -1}]},
        {"instances": [{"sepal_length_cm": 5.1}]},
        {"instances": [{**SETOSA, "colour": "blue"}]},
    ],
)
def test_invalid_requests_are_rejected(client: Any, body: dict[str, object]) -> None:
    status, _ = client.post("/predict", body)
    assert status in {400, 422}


def test_without_a_model_the_service_is_alive_but_not_ready(client_without_model: Any) -> None:
    assert client_without_model.get("/livez")[0] == 200
    assert client_without_model.get("/readyz")[0] == 503
    assert client_without_model.get("/health")[0] == 503
    assert client_without_model.post("/predict", {"instances": [SETOSA]})[0] == 503


def test_with_a_model_the_service_is_ready(client: Any) -> None:
    assert client.get("/livez")[0] == 200
    assert client.get("/readyz")[0] == 200


def test_metrics_are_exposed_only_with_a_metrics_tool(client: Any) -> None:
    status, _ = client.get("/metrics")
    assert status == (404 if monitoring.exposition() is None else 200)


def test_each_prediction_is_logged_with_its_features_class_and_model(client: Any, settings: Settings) -> None:
    status, _ = client.post("/predict", {"instances": [SETOSA, VIRGINICA]})
    assert status == 200
    client.post("/predict", {"instances": [VIRGINICA]})
    lines = _logged(settings, expected=3)
    assert [line["features"] for line in lines] == [SETOSA, VIRGINICA, VIRGINICA]
    assert [line["predicted_class"] for line in lines] == ["setosa", "virginica", "virginica"]
    assert {line["model_version"] for line in lines} == {registry.model_uri(settings)}
    assert all(line["latency_ms"] >= 0 for line in lines)


def test_a_rejected_request_logs_nothing(client: Any, settings: Settings) -> None:
    assert client.post("/predict", {"instances": [{**SETOSA, "petal_width_cm": -1}]})[0] in {400, 422}
    assert client.post("/predict", {"instances": [SETOSA]})[0] == 200
    # The writer keeps the order: once the valid request's line is there, any line of the rejected one would be too.
    assert [line["features"] for line in _logged(settings, expected=1)] == [SETOSA]


def test_without_a_model_nothing_is_logged(client_without_model: Any, settings: Settings) -> None:
    assert client_without_model.post("/predict", {"instances": [SETOSA]})[0] == 503
    assert _logged(settings, expected=1, timeout_s=0.5) == []
