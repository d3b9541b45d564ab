"""Which AWS endpoint the project's boto3 clients reach."""

from __future__ import annotations

import pytest

from {{ cookiecutter.package_name }} import aws


def test_with_no_endpoint_configured_clients_use_the_local_stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    assert aws.client("sqs").meta.endpoint_url == aws.LOCAL_ENDPOINT


def test_an_empty_endpoint_means_aws_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "")
    assert aws.client("sts").meta.endpoint_url.startswith("https://sts.")


def test_a_configured_endpoint_is_used(local_aws: str) -> None:
    assert aws.client("s3").meta.endpoint_url == local_aws
