{%- set store = stack.channels.object_store -%}
"""Storage in an S3 bucket: every key is an object under ``s3://STORAGE_BUCKET/STORAGE_PREFIX/``.

boto3 reaches the bucket at ``{{ store.endpoint_env }}`` (boto3's own setting, so
the project's other S3 clients reach the same store); unset, the default
``{{ store.endpoint or "(the provider's public endpoint)" }}``; empty, the public endpoint of Amazon S3. Any
S3-compatible store is the same code with its URL. Tables are CSV objects, so any
tool (and a person) can open them.
"""

from __future__ import annotations

import io
import os
from functools import cache
from pathlib import Path
from typing import Any

import boto3
import pandas as pd
from botocore.config import Config
from botocore.exceptions import ClientError

MISSING = {"404", "NoSuchKey", "NoSuchBucket"}
"""The error codes S3 answers for a key or bucket that does not exist."""


def _bucket() -> str:
    return os.environ.get("{{ store.bucket_env }}", "{{ store.bucket }}")


def _object_key(key: str) -> str:
    if key.startswith("/") or ".." in key.split("/"):
        raise ValueError(f"storage key {key!r} must be relative and stay under the prefix")
    prefix = os.environ.get("{{ store.prefix_env }}", "{{ store.prefix }}").strip("/")
    return f"{prefix}/{key}" if prefix else key


@cache
def _client_for(endpoint: str | None, addressing_style: str, local: bool) -> Any:
    config = Config(s3={"addressing_style": addressing_style})
    if not local:
        return boto3.client("s3", endpoint_url=endpoint, config=config)
    # The default endpoint is the local stand-in, which accepts fixed keys: a developer's real ones stay away from it.
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        config=config,
        aws_access_key_id="{{ store.local_credentials.access_key_id }}",
        aws_secret_access_key="{{ store.local_credentials.secret_access_key }}",
    )


def _client() -> Any:
    configured = os.environ.get("{{ store.endpoint_env }}")
    endpoint = "{{ store.endpoint }}" if configured is None else configured
    style = os.environ.get("STORAGE_ADDRESSING_STYLE", "{{ store.addressing_style }}")
    return _client_for(endpoint or None, style, configured is None)


def _is_missing(error: ClientError) -> bool:
    return str(error.response.get("Error", {}).get("Code")) in MISSING


def _ensure_bucket(client: Any) -> None:
    """Create the bucket on the first write: a fresh local server (or account) has none."""
    try:
        client.head_bucket(Bucket=_bucket())
    except ClientError as error:
        if not _is_missing(error):
            raise
        region = client.meta.region_name
        # us-east-1, S3's first region, takes no location constraint.
        if region in (None, "us-east-1"):
            client.create_bucket(Bucket=_bucket())
        else:
            client.create_bucket(Bucket=_bucket(), CreateBucketConfiguration={"LocationConstraint": region})


def uri(key: str) -> str:
    return f"s3://{_bucket()}/{_object_key(key)}"


def exists(key: str) -> bool:
    try:
        _client().head_object(Bucket=_bucket(), Key=_object_key(key))
    except ClientError as error:
        if _is_missing(error):
            return False
        raise
    return True


def _get(key: str) -> bytes:
    try:
        response = _client().get_object(Bucket=_bucket(), Key=_object_key(key))
    except ClientError as error:
        if _is_missing(error):
            raise FileNotFoundError(f"no {key} in {uri('')}") from error
        raise
    return bytes(response["Body"].read())


def _put(key: str, body: bytes) -> str:
    client = _client()
    _ensure_bucket(client)
    client.put_object(Bucket=_bucket(), Key=_object_key(key), Body=body)
    return uri(key)


def upload(local: Path, key: str) -> str:
    return _put(key, local.read_bytes())


def download(key: str, local: Path) -> Path:
    body = _get(key)
    local.parent.mkdir(parents=True, exist_ok=True)
    local.write_bytes(body)
    return local


def write_table(key: str, frame: pd.DataFrame) -> str:
    return _put(key, frame.to_csv(index=False).encode("utf-8"))


def read_table(key: str) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(_get(key)))
