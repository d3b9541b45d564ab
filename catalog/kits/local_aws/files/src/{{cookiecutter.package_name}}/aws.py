"""boto3 clients on the configured AWS account, or on the local stand-in when none is configured.

With no ``AWS_ENDPOINT_URL`` set, every call goes to the local stand-in that
``make services-up`` starts (moto on 127.0.0.1:5050); once it is set (empty
for AWS itself), boto3 resolves endpoint, credentials and region as usual.
"""

from __future__ import annotations

import os
from typing import Any

import boto3

LOCAL_ENDPOINT = "http://127.0.0.1:5050"
DEFAULT_REGION = "us-east-1"


def region() -> str:
    return os.environ.get("AWS_DEFAULT_REGION", DEFAULT_REGION)


def client(service: str) -> Any:
    """A boto3 client for ``service``: on the configured account, or on the local stand-in when none is."""
    if "AWS_ENDPOINT_URL" in os.environ:
        return boto3.client(service, region_name=region())
    # The stand-in accepts any signature; fixed keys keep a developer's real ones away from it.
    return boto3.client(
        service,
        endpoint_url=LOCAL_ENDPOINT,
        region_name=region(),
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
