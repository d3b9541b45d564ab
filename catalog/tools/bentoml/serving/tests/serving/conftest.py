"""BentoML's own ASGI app of the service, in-process, behind the service contract's ``get``/``post`` interface.

``Classifier.to_asgi()`` is the app every ``bentoml serve`` worker runs. Entering
the test client runs its lifespan, which creates a fresh service instance (and so
loads the model) exactly as a worker does at start-up.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.types import ASGIApp

from {{ cookiecutter.package_name }}.pipeline import PipelineResult
from {{ cookiecutter.package_name }}.service import Classifier


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


@pytest.fixture(scope="session")
def bento_app() -> ASGIApp:
    # Built once: the app registers its Prometheus metrics in the process-wide
    # registry, which refuses a second set. Each test still gets its own instance.
    return Classifier.to_asgi()


@pytest.fixture
def client(bento_app: ASGIApp, trained: PipelineResult) -> Iterator[ContractClient]:
    with TestClient(bento_app) as test_client:
        yield ContractClient(test_client)


@pytest.fixture
def client_without_model(bento_app: ASGIApp) -> Iterator[ContractClient]:
    with TestClient(bento_app) as test_client:
        yield ContractClient(test_client)
