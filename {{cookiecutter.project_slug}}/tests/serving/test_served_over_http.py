"""Train, publish, start the real server on 127.0.0.1 and predict over HTTP, as a user would."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

from {{ cookiecutter.package_name }}.pipeline import PipelineResult

STARTUP_TIMEOUT_S = 90


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:  # refused, reset or timed out while the server starts
        return False


@pytest.fixture
def server(trained: PipelineResult) -> Iterator[str]:
    port = _free_port()
    module = "{{ cookiecutter.package_name }}.service"
    process = subprocess.Popen([sys.executable, "-m", module, "--host", "127.0.0.1", "--port", str(port)])
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not _healthy(url):
            assert process.poll() is None, "the server exited during start-up"
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not become healthy within {STARTUP_TIMEOUT_S} s")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.integration
def test_served_model_predicts(server: str, trained: PipelineResult) -> None:
    flower = {"sepal_length_cm": 6.3, "sepal_width_cm": 2.5, "petal_length_cm": 4.9, "petal_width_cm": 1.5}
    request = urllib.request.Request(
        f"{server}/predict",
        data=json.dumps({"instances": [flower]}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = json.load(response)
    assert body["model_uri"] == trained.model_uri
    assert body["predictions"][0]["class_name"] in {"versicolor", "virginica"}
