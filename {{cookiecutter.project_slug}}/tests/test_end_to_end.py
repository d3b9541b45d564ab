"""Train -> register -> serve on a real port -> predict, as a user would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from {{ cookiecutter.package_name }}.pipeline import PipelineResult

STARTUP_TIMEOUT_S = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(trained: PipelineResult, settings_env: dict[str, str]) -> Iterator[str]:
    port = _free_port()
    command = [sys.executable, "-m", "{{ cookiecutter.package_name }}.api", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, env={**os.environ, **settings_env})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            assert process.poll() is None, "the server exited during start-up"
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail(f"the server did not become healthy within {STARTUP_TIMEOUT_S} s")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_served_model_predicts(server: str, trained: PipelineResult) -> None:
    flower = {"sepal_length_cm": 6.3, "sepal_width_cm": 2.5, "petal_length_cm": 4.9, "petal_width_cm": 1.5}
    response = httpx.post(f"{server}/predict", json={"instances": [flower]}, timeout=10)
    assert response.status_code == 200
    body = response.json()
    assert body["model_uri"] == trained.model_uri
    assert body["predictions"][0]["class_name"] in {"versicolor", "virginica"}
