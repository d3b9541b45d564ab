"""FastAPI's test client behind the service contract's ``get``/``post`` interface."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.pipeline import PipelineResult
from {{ cookiecutter.package_name }}.service import create_app


class ContractClient:
    def __init__(self, client: TestClient) -> None:
        self._client = client

    def get(self, path: str) -> tuple[int, Any]:
        response = self._client.get(path)
        is_json = response.headers.get("content-type", "").startswith("application/json")
        return response.status_code, response.json() if is_json else response.text

    def post(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        response = self._client.post(path, json=body)
        return response.status_code, response.json()


@pytest.fixture
def client(trained: PipelineResult, settings: Settings) -> Iterator[ContractClient]:
    with TestClient(create_app(settings)) as test_client:
        yield ContractClient(test_client)


@pytest.fixture
def client_without_model(settings: Settings) -> Iterator[ContractClient]:
    with TestClient(create_app(settings)) as test_client:
        yield ContractClient(test_client)
