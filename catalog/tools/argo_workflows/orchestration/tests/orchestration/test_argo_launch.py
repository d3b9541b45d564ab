"""Starting a training run on Argo Workflows: submitted to the Argo Server, or the workflow's steps run here.

The server case is checked against a recording HTTP server on 127.0.0.1 standing in
for the Argo Server (none can run here without Kubernetes): the request is the one
its API documents, ``POST /api/v1/workflows/{namespace}`` with the workflow.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest

from {{ cookiecutter.package_name }} import launch, registry
from {{ cookiecutter.package_name }}.config import Settings


@pytest.fixture
def argo_server() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    requests: list[dict[str, Any]] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            requests.append({"path": self.path, "body": body, "authorization": self.headers.get("Authorization")})
            created = body["workflow"] | {"metadata": body["workflow"]["metadata"] | {"name": "training-abc12"}}
            answer = json.dumps(created).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            del format, args

    server = HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    thread.join()


def test_with_a_server_the_workflow_is_submitted_with_the_reason(
    argo_server: tuple[str, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, requests = argo_server
    monkeypatch.setenv("ARGO_SERVER", url)
    monkeypatch.setenv("ARGO_NAMESPACE", "ml")
    monkeypatch.setenv("ARGO_TOKEN", "secret-token")
    assert launch.start_training("drift on petal_length") == "training-abc12"
    (request,) = requests
    assert request["path"] == "/api/v1/workflows/ml"
    metadata = request["body"]["workflow"]["metadata"]
    assert metadata["generateName"] == "{{ cookiecutter.project_slug }}-training-"
    assert metadata["annotations"] == {"{{ cookiecutter.project_slug }}/reason": "drift on petal_length"}
    assert request["authorization"] == "Bearer secret-token"


def test_the_local_commands_are_the_workflows_steps_in_order() -> None:
    commands = launch._local_commands("training-1")
    assert [command[1] for command in commands] == ["ingest", "split", "train", "evaluate", "register"]
    assert all(command[:1] == ["{{ cookiecutter.project_slug }}-step"] for command in commands)
    assert commands[2][-4:] == ["--regularization", "1.0", "--max-iter", "500"]
    assert {command[3] for command in commands} == {"/workspace/training-1"}


@pytest.mark.integration
def test_without_a_server_the_steps_run_here_and_register_a_model(launch_runs_here: bool, settings: Settings) -> None:
    assert launch_runs_here
    run_dir = Path(launch.start_training("integration test"))
    assert (run_dir / "model.joblib").is_file()
    assert registry.alias_metrics("champion", settings) is not None
