"""Train, start the real TensorBoard server on 127.0.0.1 and find the run through its HTTP API, as a user would."""

from __future__ import annotations

import json
import sys
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest

from {{ cookiecutter.package_name }} import tracking
from {{ cookiecutter.package_name }}.pipeline import PipelineResult


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
def tensorboard_url(trained: PipelineResult, start_server: Callable[..., str]) -> str:
    logdir = str(tracking.log_dir().resolve())
    # `python -m tensorboard.main` is the `tensorboard` console script, run with this interpreter.
    command = [sys.executable, "-m", "tensorboard.main", "--logdir", logdir, "--host", "127.0.0.1"]
    return start_server(lambda port: [*command, "--port", str(port)], ready=_loaded)


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
