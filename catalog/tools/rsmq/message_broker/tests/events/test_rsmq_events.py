"""RSMQ as any RSMQ client sees it: one queue per topic in Redis, deleted once handled, a failed one visible at once.

The queues live on the tests' Redis server (``tests/plugins/local_redis.py``), read back here with PyRSMQ directly.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from redis import Redis
from rsmq import RedisSMQ

from {{ cookiecutter.package_name }} import events


@pytest.fixture
def queues(local_redis: str) -> Any:
    return RedisSMQ(client=Redis.from_url(local_redis, decode_responses=True))


@pytest.fixture
def topic() -> str:
    return f"rsmq-{uuid.uuid4().hex[:12]}"


def _counts(queues: Any, name: str) -> tuple[int, int]:
    """Messages in the queue, and how many of them are hidden (received, not yet deleted)."""
    attributes = queues.getQueueAttributes(qname=name).execute()
    return int(attributes["msgs"]), int(attributes["hiddenmsgs"])


def test_a_topic_is_a_queue_named_after_the_project_holding_json(queues: Any, topic: str) -> None:
    events.publish(topic, {"reason": "new data"})
    received = queues.receiveMessage(qname=f"{{ cookiecutter.project_slug }}-{topic}").execute()
    assert json.loads(received["message"]) == {"reason": "new data"}


def test_a_handled_message_is_deleted_from_the_queue(queues: Any, topic: str) -> None:
    events.publish(topic, {"number": 1})
    assert events.consume(topic, lambda message: None, max_messages=1, wait_s=10) == 1
    assert _counts(queues, f"{{ cookiecutter.project_slug }}-{topic}") == (0, 0)


def test_a_failed_message_is_visible_again_without_waiting_for_the_timeout(queues: Any, topic: str) -> None:
    events.publish(topic, {"number": 1})

    def fail(message: dict[str, Any]) -> None:
        raise RuntimeError("cannot handle it")

    with pytest.raises(RuntimeError):
        events.consume(topic, fail, max_messages=1, wait_s=10)
    assert _counts(queues, f"{{ cookiecutter.project_slug }}-{topic}") == (1, 0)


def test_a_message_received_but_never_deleted_comes_back_after_the_visibility_timeout(
    queues: Any, topic: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A consumer that died while handling: the queue's own timeout, the setting, brings the message back."""
    monkeypatch.setenv("RSMQ_VISIBILITY_TIMEOUT", "1")
    events.publish(topic, {"number": 1})
    assert queues.receiveMessage(qname=f"{{ cookiecutter.project_slug }}-{topic}").execute(), "not received"
    assert events.consume(topic, lambda message: None, wait_s=0.3) == 0, "visible while still hidden"
    again: list[dict[str, Any]] = []
    assert events.consume(topic, again.append, max_messages=1, wait_s=5) == 1
    assert again == [{"number": 1}]


def test_the_queue_prefix_is_a_setting(queues: Any, topic: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RSMQ_QUEUE_PREFIX", "team-")
    events.publish(topic, {"number": 1})
    assert f"team-{topic}" in queues.listQueues().execute()


def test_a_name_rsmq_would_refuse_is_an_error_not_a_lost_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RSMQ_QUEUE_PREFIX", "team:")
    with pytest.raises(ValueError, match="queue names"):
        events.publish("retrain", {"number": 1})
