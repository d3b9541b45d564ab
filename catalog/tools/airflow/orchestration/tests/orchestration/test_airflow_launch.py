"""Starting a training run on Airflow: a DAG run through the API server, or ``airflow dags test`` here.

The API-server case is checked against a recording HTTP server on 127.0.0.1 standing
in for Airflow's (starting a real ``airflow api-server`` with its scheduler and
database costs minutes here): the request it receives is the one the Airflow 3 REST
API documents. The local case runs the DAG for real.
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
def api_server() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    requests: list[dict[str, Any]] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            requests.append({"path": self.path, "body": body, "authorization": self.headers.get("Authorization")})
            answer = json.dumps({"dag_run_id": "manual__2026-01-01T00:00:00+00:00", "state": "queued"}).encode()
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


def test_with_an_api_server_a_dag_run_is_triggered_with_the_reason_as_its_note(
    api_server: tuple[str, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, requests = api_server
    monkeypatch.setenv("AIRFLOW_API_URL", url)
    monkeypatch.setenv("AIRFLOW_API_TOKEN", "secret-token")
    assert launch.start_training("drift on petal_length") == "manual__2026-01-01T00:00:00+00:00"
    (request,) = requests
    assert request["path"] == f"/api/v2/dags/{launch.DAG_ID}/dagRuns"
    assert request["body"] == {"logical_date": None, "conf": {}, "note": "drift on petal_length"}
    assert request["authorization"] == "Bearer secret-token"


@pytest.mark.integration
def test_without_an_api_server_the_dag_runs_here_and_registers_a_model(workdir: Path, settings: Settings) -> None:
    run = launch.start_training("integration test")
    assert run.startswith(f"{launch.DAG_ID}@")
    assert (workdir / ".airflow").is_dir(), "the metadata database lives in the project folder"
    assert registry.alias_metrics("champion", settings) is not None
