"""SQS as boto3 sees it: one queue per topic, messages deleted once handled, a failed one visible again at once.

The queues live on the tests' moto server (``tests/plugins/local_aws.py``), read back here with boto3 directly.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import boto3
import pytest

from {{ cookiecutter.package_name }} import events


@pytest.fixture
def sqs(local_aws: str) -> Any:
    return boto3.client("sqs", endpoint_url=local_aws)


@pytest.fixture
def topic() -> str:
    return f"sqs-{uuid.uuid4().hex[:12]}"


def _counts(sqs: Any, topic: str) -> tuple[int, int]:
    url = sqs.get_queue_url(QueueName=f"{{ cookiecutter.project_slug }}-{topic}")["QueueUrl"]
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
    return int(attributes[names[0]]), int(attributes[names[1]])


def test_a_topic_is_a_queue_named_after_the_project_holding_json(sqs: Any, topic: str) -> None:
    events.publish(topic, {"reason": "new data"})
    url = sqs.get_queue_url(QueueName=f"{{ cookiecutter.project_slug }}-{topic}")["QueueUrl"]
    (message,) = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)["Messages"]
    assert json.loads(message["Body"]) == {"reason": "new data"}


def test_a_handled_message_is_deleted_from_the_queue(sqs: Any, topic: str) -> None:
    events.publish(topic, {"number": 1})
    assert events.consume(topic, lambda message: None, max_messages=1, wait_s=10) == 1
    assert _counts(sqs, topic) == (0, 0)


def test_a_failed_message_is_visible_again_without_waiting_for_the_timeout(sqs: Any, topic: str) -> None:
    events.publish(topic, {"number": 1})

    def fail(message: dict[str, Any]) -> None:
        raise RuntimeError("cannot handle it")

    with pytest.raises(RuntimeError):
        events.consume(topic, fail, max_messages=1, wait_s=10)
    assert _counts(sqs, topic) == (1, 0)


def test_the_queue_prefix_is_a_setting(sqs: Any, topic: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SQS_QUEUE_PREFIX", "team-")
    events.publish(topic, {"number": 1})
    assert sqs.get_queue_url(QueueName=f"team-{topic}")["QueueUrl"]
