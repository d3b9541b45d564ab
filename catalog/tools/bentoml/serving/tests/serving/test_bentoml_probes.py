"""BentoML's own readiness probe follows the model, like ``/health``."""

from __future__ import annotations

from starlette.testclient import TestClient
from starlette.types import ASGIApp

from {{ cookiecutter.package_name }}.pipeline import PipelineResult


def test_ready_once_a_model_is_loaded(bento_app: ASGIApp, trained: PipelineResult) -> None:
    with TestClient(bento_app) as client:
        assert client.get("/readyz").status_code == 200
        assert client.get("/livez").status_code == 200


def test_alive_but_not_ready_without_a_model(bento_app: ASGIApp) -> None:
    with TestClient(bento_app) as client:
        assert client.get("/readyz").status_code == 503
        assert client.get("/livez").status_code == 200
