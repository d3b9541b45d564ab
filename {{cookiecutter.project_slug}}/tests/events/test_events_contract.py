"""The events interface, as every broker implements it: in order, at least once, nothing lost."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from {{ cookiecutter.package_name }} import events


@pytest.fixture
def topic() -> str:
    """A topic of its own for each test, so a broker shared by the tests starts empty for each."""
    return f"contract-{uuid.uuid4().hex[:12]}"


def test_published_messages_are_consumed_once_each(topic: str) -> None:
    for number in range(3):
        events.publish(topic, {"number": number, "reason": "new data"})
    received: list[dict[str, Any]] = []
    assert events.consume(topic, received.append, max_messages=3, wait_s=10) == 3
    assert sorted(message["number"] for message in received) == [0, 1, 2]
    assert events.consume(topic, received.append, wait_s=1) == 0, "a consumed message came back"


def test_consume_stops_after_max_messages_and_leaves_the_rest(topic: str) -> None:
    for number in range(2):
        events.publish(topic, {"number": number})
    first: list[dict[str, Any]] = []
    assert events.consume(topic, first.append, max_messages=1, wait_s=10) == 1
    rest: list[dict[str, Any]] = []
    assert events.consume(topic, rest.append, max_messages=1, wait_s=10) == 1
    assert {first[0]["number"], rest[0]["number"]} == {0, 1}


def test_a_message_whose_handler_failed_is_delivered_again(topic: str) -> None:
    events.publish(topic, {"number": 7})

    def fail(message: dict[str, Any]) -> None:
        raise RuntimeError(f"could not handle {message}")

    with pytest.raises(RuntimeError):
        events.consume(topic, fail, max_messages=1, wait_s=10)
    again: list[dict[str, Any]] = []
    assert events.consume(topic, again.append, max_messages=1, wait_s=30) == 1
    assert again == [{"number": 7}]


def test_an_empty_topic_returns_after_the_wait(topic: str) -> None:
    assert events.consume(topic, lambda message: None, wait_s=0.5) == 0
