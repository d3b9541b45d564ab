"""Train, start the real TensorBoard server on 127.0.0.1 and find the run through its HTTP API, as a user would."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from {{ cookiecutter.package_name }} import tracking
from {{ cookiecutter.package_name }}.pipeline import PipelineResult

STARTUP_TIMEOUT_S = 90


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def _post(url: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def _loaded(url: str) -> bool:
    """True once TensorBoard has read the run's scalars; it loads event files in the background after start."""
    try:
        tags = _get(f"{url}/data/plugin/scalars/tags")
    except OSError:  # refused or reset while the server starts
        return False
    return any("accuracy" in run_tags for run_tags in tags.values())


@pytest.fixture
def tensorboard_url(trained: PipelineResult) -> Iterator[str]:
    port = _free_port()
    command = ["--logdir", str(tracking.log_dir().resolve()), "--host", "127.0.0.1", "--port", str(port)]
    # `python -m tensorboard.main` is the `tensorboard` console script, run with this interpreter.
    process = subprocess.Popen([sys.executable, "-m", "tensorboard.main", *command], stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not _loaded(url):
            assert process.poll() is None, "TensorBoard exited during start-up"
            if time.monotonic() > deadline:
                pytest.fail(f"TensorBoard did not load the run within {STARTUP_TIMEOUT_S} s")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.integration
def test_tensorboard_shows_the_training_run(tensorboard_url: str) -> None:
    [run] = _get(f"{tensorboard_url}/data/runs")
    assert run.startswith("training-")
    scalar_tags = _get(f"{tensorboard_url}/data/plugin/scalars/tags")[run]
    assert {"accuracy", "f1_macro", "quality_gate/passed"} <= set(scalar_tags)
    experiment = _post(f"{tensorboard_url}/data/plugin/hparams/experiment", {"experimentName": ""})
    assert {"regularization", "max_iter", "seed"} <= {info["name"] for info in experiment["hparamInfos"]}
    query = urllib.parse.urlencode({"run": run, "tag": "quality_gate"})
    [gate] = _get(f"{tensorboard_url}/data/plugin/text/text?{query}")
    assert "passed" in gate["text"]
