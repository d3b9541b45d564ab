"""What the Flask service adds to the contract: which error code, and JSON error bodies."""

from __future__ import annotations

import pytest
from flask.cli import ScriptInfo
from flask.testing import FlaskClient

from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.pipeline import PipelineResult
from {{ cookiecutter.package_name }}.service import create_app

SETOSA = {"sepal_length_cm": 5.1, "sepal_width_cm": 3.5, "petal_length_cm": 1.4, "petal_width_cm": 0.2}


@pytest.fixture
def flask_client(trained: PipelineResult, settings: Settings) -> FlaskClient:
    return create_app(settings).test_client()


@pytest.mark.parametrize(
    ("data", "content_type"),
    [("sepal_length_cm=5.1", "application/x-www-form-urlencoded"), ("{not json", "application/json")],
)
def test_a_body_that_is_not_json_is_a_bad_request(flask_client: FlaskClient, data: str, content_type: str) -> None:
    response = flask_client.post("/predict", data=data, content_type=content_type)
    assert response.status_code == 400
    assert "JSON" in response.get_json()["detail"]


def test_validation_errors_name_the_invalid_field(flask_client: FlaskClient) -> None:
    response = flask_client.post("/predict", json={"instances": [{**SETOSA, "petal_width_cm": -1}]})
    assert response.status_code == 422
    [error] = response.get_json()["detail"]
    assert error["loc"] == ["instances", 0, "petal_width_cm"]
    assert error["type"] == "greater_than_equal"


def test_http_errors_are_json(flask_client: FlaskClient) -> None:
    assert flask_client.get("/nowhere").status_code == 404
    response = flask_client.get("/predict")
    assert response.status_code == 405
    assert response.get_json()["detail"]


def test_the_flask_cli_finds_the_app_factory(trained: PipelineResult) -> None:
    # `flask --app <pkg>.service run` calls create_app() with no arguments.
    app = ScriptInfo(app_import_path="{{ cookiecutter.package_name }}.service").load_app()
    assert app.test_client().get("/health").status_code == 200
