"""Flask's test client behind the service contract's ``get``/``post`` interface."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.pipeline import PipelineResult
from {{ cookiecutter.package_name }}.service import create_app


class ContractClient:
    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def get(self, path: str) -> tuple[int, Any]:
        response = self._client.get(path)
        return response.status_code, response.get_json() if response.is_json else response.text

    def post(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        response = self._client.post(path, json=body)
        return response.status_code, response.get_json()


@pytest.fixture
def client(trained: PipelineResult, settings: Settings) -> ContractClient:
    return ContractClient(create_app(settings).test_client())


@pytest.fixture
def client_without_model(settings: Settings) -> ContractClient:
    return ContractClient(create_app(settings).test_client())
