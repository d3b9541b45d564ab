"""The API in-process, against a model published by a real pipeline run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.api import create_app
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.pipeline import PipelineResult

SETOSA = {"sepal_length_cm": 5.1, "sepal_width_cm": 3.5, "petal_length_cm": 1.4, "petal_width_cm": 0.2}
VIRGINICA = {"sepal_length_cm": 7.7, "sepal_width_cm": 3.0, "petal_length_cm": 6.1, "petal_width_cm": 2.3}


@pytest.fixture
def client(trained: PipelineResult, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


def test_health_names_the_loaded_model(client: TestClient, trained: PipelineResult) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "model_uri": trained.model_uri}


def test_predict_returns_one_class_per_instance(client: TestClient) -> None:
    response = client.post("/predict", json={"instances": [SETOSA, VIRGINICA]})
    assert response.status_code == 200
    assert [p["class_name"] for p in response.json()["predictions"]] == ["setosa", "virginica"]


@pytest.mark.parametrize(
    "body",
    [
        {"instances": []},
        {"instances": [{**SETOSA, "petal_width_cm": -1}]},
        {"instances": [{"sepal_length_cm": 5.1}]},
        {"instances": [{**SETOSA, "colour": "blue"}]},
    ],
)
def test_invalid_requests_are_rejected(client: TestClient, body: dict[str, object]) -> None:
    assert client.post("/predict", json=body).status_code == 422


def test_without_a_model_the_service_reports_unavailable(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        assert client.get("/health").status_code == 503
        assert client.post("/predict", json={"instances": [SETOSA]}).status_code == 503
