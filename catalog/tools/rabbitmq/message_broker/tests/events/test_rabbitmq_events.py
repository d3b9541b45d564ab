"""RabbitMQ as pika sees it: a durable queue per topic, persistent JSON, acknowledged once handled.

The queues live on the tests' broker (``tests/plugins/local_rabbitmq.py``), read back here with pika directly.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pika
import pytest
from pika.adapters.blocking_connection import BlockingChannel
from pika.exceptions import AMQPError, ChannelClosedByBroker

from {{ cookiecutter.package_name }} import events


@pytest.fixture
def channel(rabbitmq_url: str) -> Iterator[BlockingChannel]:
    connection = pika.BlockingConnection(pika.URLParameters(rabbitmq_url))
    yield connection.channel()
    if connection.is_open:
        connection.close()


@pytest.fixture
def topic() -> str:
    return f"rabbitmq-{uuid.uuid4().hex[:12]}"


def _ready(channel: BlockingChannel, queue: str) -> int:
    """Messages waiting in ``queue``: neither delivered to a consumer nor acknowledged."""
    return int(channel.queue_declare(queue=queue, passive=True).method.message_count)


def test_a_topic_is_a_durable_queue_holding_persistent_json(
    channel: BlockingChannel, topic: str, local_rabbitmq: str
) -> None:
    events.publish(topic, {"reason": "new data"})
    method, properties, body = channel.basic_get(f"{local_rabbitmq}{topic}", auto_ack=True)
    assert method is not None, "the message is not on the topic's queue"
    assert json.loads(body) == {"reason": "new data"}
    assert properties.delivery_mode == pika.DeliveryMode.Persistent.value
    assert properties.content_type == "application/json"
    with pytest.raises(ChannelClosedByBroker, match="durable"):
        channel.queue_declare(queue=f"{local_rabbitmq}{topic}", durable=False)


def test_a_handled_message_is_acknowledged_and_gone(channel: BlockingChannel, topic: str, local_rabbitmq: str) -> None:
    events.publish(topic, {"number": 1})
    events.publish(topic, {"number": 2})
    assert events.consume(topic, lambda message: None, max_messages=1, wait_s=10) == 1
    assert _ready(channel, f"{local_rabbitmq}{topic}") == 1, "the one not asked for went back to the queue"
    assert events.consume(topic, lambda message: None, max_messages=1, wait_s=10) == 1
    assert _ready(channel, f"{local_rabbitmq}{topic}") == 0


def test_a_failed_message_is_back_on_the_queue_at_once(
    channel: BlockingChannel, topic: str, local_rabbitmq: str
) -> None:
    events.publish(topic, {"number": 1})

    def fail(message: dict[str, Any]) -> None:
        raise RuntimeError("cannot handle it")

    with pytest.raises(RuntimeError):
        events.consume(topic, fail, max_messages=1, wait_s=10)
    method, _properties, body = channel.basic_get(f"{local_rabbitmq}{topic}", auto_ack=True)
    assert method is not None, "the failed message is not on its queue"
    assert method.redelivered
    assert json.loads(body) == {"number": 1}


def test_a_handler_slower_than_the_heartbeat_loses_its_message_to_the_next_consumer(
    topic: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``RABBITMQ_HEARTBEAT`` bounds how long handling may take; past it the message is delivered again."""
    events.publish(topic, {"number": 1})
    monkeypatch.setenv("RABBITMQ_HEARTBEAT", "1")
    with pytest.raises(AMQPError):
        events.consume(topic, lambda message: time.sleep(6), max_messages=1, wait_s=10)
    monkeypatch.setenv("RABBITMQ_HEARTBEAT", "60")
    again: list[dict[str, Any]] = []
    assert events.consume(topic, again.append, max_messages=1, wait_s=10) == 1
    assert again == [{"number": 1}]


def test_the_queues_are_named_after_the_project_unless_the_prefix_is_set(
    channel: BlockingChannel, topic: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RABBITMQ_QUEUE_PREFIX")
    events.publish(topic, {"number": 1})
    monkeypatch.setenv("RABBITMQ_QUEUE_PREFIX", "team.")
    events.publish(topic, {"number": 2})
    try:
        assert _ready(channel, f"{{ cookiecutter.project_slug }}.{topic}") == 1
        assert _ready(channel, f"team.{topic}") == 1
    finally:
        channel.queue_delete(f"{{ cookiecutter.project_slug }}.{topic}")
        channel.queue_delete(f"team.{topic}")
