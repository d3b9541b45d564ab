"""boto3 clients on the test's local AWS endpoint (``local_aws`` in ``tests/plugins/local_aws.py``)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest


@pytest.fixture
def sagemaker(local_aws: str) -> Any:
    return boto3.client("sagemaker", endpoint_url=local_aws)


@pytest.fixture
def s3(local_aws: str) -> Any:
    return boto3.client("s3", endpoint_url=local_aws)
