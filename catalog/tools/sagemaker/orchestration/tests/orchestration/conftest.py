"""AWS settings for every test here, set before the SageMaker SDK is first imported.

Importing ``sagemaker.serve`` creates a boto3 client, which needs a region, so this
runs at collection time. The credentials are dummies, no AWS profile or config file of
the user's applies, and every AWS endpoint is a closed port on 127.0.0.1: a call the
tests do not expect fails fast instead of reaching AWS.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import pytest

OFFLINE_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_ENDPOINT_URL": "http://127.0.0.1:9",  # the discard port: nothing listens there
    "SAGEMAKER_VALIDATE_ROLE": "false",
}
os.environ.update(OFFLINE_AWS)


@pytest.fixture
def launch_runs_here(start_server: Any, monkeypatch: pytest.MonkeyPatch) -> bool:
    """A moto server holding the pipeline (``--upsert``): it records executions but runs nothing."""
    from {{ cookiecutter.package_name }}.sagemaker_pipeline import main

    url = start_server(
        lambda port: [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], ready="/moto-api/"
    )
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    main(["--output", "sagemaker-pipeline.json", "--upsert"])
    return False
