"""Every test runs against a local AWS API: moto's server on 127.0.0.1, emptied before each test.

The registry reaches SageMaker and S3 only through boto3, so the pipeline,
service and orchestrator tests all need an endpoint. One server per session
keeps them fast; resetting its state keeps them independent. The settings are
set after ``workdir`` has cleared the ones from ``.env.example``, and
subprocesses the tests start (servers, orchestrators) inherit them.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from moto.server import ThreadedMotoServer


@pytest.fixture(scope="session")
def aws_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(autouse=True)
def local_aws(aws_endpoint: str, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point boto3 at the emptied stand-in, with the dummy credentials it accepts."""
    del workdir  # requested only to run after it
    urllib.request.urlopen(urllib.request.Request(f"{aws_endpoint}/moto-api/reset", method="POST"), timeout=10)
    monkeypatch.setenv("AWS_ENDPOINT_URL", aws_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    return aws_endpoint
