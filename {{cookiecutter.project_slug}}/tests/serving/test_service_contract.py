"""The prediction service, as every server implements it, in-process.

``client`` and ``client_without_model`` come from ``conftest.py`` beside this
file: the chosen server's own test client, against a model published by a real
pipeline run.
"""

from __future__ import annotations

from typing import Any

import pytest

from {{ cookiecutter.package_name }} import monitoring, registry
from {{ cookiecutter.package_name }}.config import Settings

SETOSA = {"sepal_length_cm": 5.1, "sepal_width_cm": 3.5, "petal_length_cm": 1.4, "petal_width_cm": 0.2}
VIRGINICA = {"sepal_length_cm": 7.7, "sepal_width_cm": 3.0, "petal_length_cm": 6.1, "petal_width_cm": 2.3}


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
