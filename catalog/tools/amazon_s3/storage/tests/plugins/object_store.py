{%- set store = stack.channels.object_store -%}
"""Every test's object store is the test's moto server (``local_aws``), emptied before each test.

The endpoint setting is boto3's own, so the storage module and every other S3
client of the project (and the subprocesses the tests start) reach the same server.
The bucket exists, as a team's does: the storage creates a missing one on its first
write, but MLflow's artifact store and DVC's remote expect it.
"""

from __future__ import annotations

import boto3
import pytest


@pytest.fixture(autouse=True)
def object_store(local_aws: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("{{ store.endpoint_env }}", local_aws)
    boto3.client("s3", endpoint_url=local_aws).create_bucket(Bucket="{{ store.bucket }}")
    return local_aws
