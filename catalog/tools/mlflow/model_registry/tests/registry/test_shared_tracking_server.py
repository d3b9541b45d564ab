"""The team topology without Docker: a real ``mlflow server`` on 127.0.0.1 that stores artifacts itself.

Training runs in one folder, the service starts in another that shares
nothing on disk with it, and predicts: the model travels only through the server.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

STARTUP_TIMEOUT_S = 120


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_ok(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        assert process.poll() is None, f"the process serving {url} exited during start-up"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:  # refused, reset or timed out while it starts
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{url} did not answer within {STARTUP_TIMEOUT_S} s")
        time.sleep(0.5)


@pytest.fixture
def tracking_server(tmp_path: Path) -> Iterator[str]:
    store = tmp_path / "server"
    store.mkdir()
    port = _free_port()
    command = [sys.executable, "-m", "mlflow", "server", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--backend-store-uri", f"sqlite:///{store / 'mlflow.db'}", "--artifacts-destination", str(store)]
    process = subprocess.Popen(command, cwd=store)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ok(f"{url}/health", process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.integration
def test_train_in_one_folder_and_serve_from_another(tmp_path: Path, tracking_server: str) -> None:
    env = {**os.environ, "MLFLOW_TRACKING_URI": tracking_server}
    trainer, server = tmp_path / "trainer", tmp_path / "service"
    trainer.mkdir()
    server.mkdir()
    package = "{{ cookiecutter.package_name }}"
    subprocess.run([sys.executable, "-m", f"{package}.pipeline"], cwd=trainer, env=env, check=True)
    port = _free_port()
    command = [sys.executable, "-m", f"{package}.service", "--host", "127.0.0.1", "--port", str(port)]
    service = subprocess.Popen(command, cwd=server, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ok(f"{url}/health", service)
        flower = {"sepal_length_cm": 5.1, "sepal_width_cm": 3.5, "petal_length_cm": 1.4, "petal_width_cm": 0.2}
        request = urllib.request.Request(
            f"{url}/predict",
            data=json.dumps({"instances": [flower]}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.load(response)["predictions"][0]["class_name"] == "setosa"
    finally:
        service.terminate()
        service.wait(timeout=30)
    assert not any(server.iterdir()), "the service read the model from the server, not from a local folder"
