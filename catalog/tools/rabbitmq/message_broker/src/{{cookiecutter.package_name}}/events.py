"""Events on RabbitMQ: one durable queue per topic, ``RABBITMQ_QUEUE_PREFIX`` + the topic's name.

A message is JSON, published persistent through the default exchange straight
to its topic's queue (declared durable by whichever side comes first), with
publisher confirms: ``publish`` returns once the broker has taken it.
``consume`` takes one message at a time (prefetch 1), acknowledges it only
after its handler returned, and when the handler raises puts it back on the
queue at once (``basic.nack`` with requeue), so the next consumer gets it; a
consumer that dies before acknowledging leaves its message to be delivered
again too. Delivery is at least once: handlers must tolerate a repeat.

The broker is ``RABBITMQ_URL``. While a handler runs, nothing answers the
broker's heartbeats: ``RABBITMQ_HEARTBEAT`` seconds must be longer than
handling a message takes (a training run, for the retrain listener), or the
broker closes the connection and delivers the message again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel

from {{ cookiecutter.package_name }}.interfaces import Handler

DEFAULT_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"


@contextmanager
def _channel() -> Iterator[BlockingChannel]:
    parameters = pika.URLParameters(os.environ.get("RABBITMQ_URL") or DEFAULT_URL)
    parameters.heartbeat = int(os.environ.get("RABBITMQ_HEARTBEAT", "900"))
    connection = pika.BlockingConnection(parameters)
    try:
        yield connection.channel()
    finally:
        if connection.is_open:
            connection.close()


def _queue(channel: BlockingChannel, topic: str) -> str:
    name = os.environ.get("RABBITMQ_QUEUE_PREFIX", "{{ cookiecutter.project_slug }}.") + topic
    channel.queue_declare(queue=name, durable=True)
    return name


def publish(topic: str, message: Mapping[str, Any]) -> None:
    with _channel() as channel:
        channel.confirm_delivery()
        channel.basic_publish(
            exchange="",
            routing_key=_queue(channel, topic),
            body=json.dumps(dict(message)).encode(),
            properties=pika.BasicProperties(
                content_type="application/json", delivery_mode=pika.DeliveryMode.Persistent
            ),
            mandatory=True,
        )


def consume(topic: str, handler: Handler, *, max_messages: int | None = None, wait_s: float = 5.0) -> int:
    handled = 0
    if max_messages is not None and max_messages <= 0:
        return handled
    with _channel() as channel:
        channel.basic_qos(prefetch_count=1)
        queue = _queue(channel, topic)
        for method, _properties, body in channel.consume(queue, inactivity_timeout=wait_s):
            if method is None:  # nothing arrived for wait_s
                break
            try:
                handler(json.loads(body))
            except BaseException:
                channel.basic_nack(delivery_tag=method.delivery_tag, requeue=True)
                raise
            channel.basic_ack(delivery_tag=method.delivery_tag)
            handled += 1
            if max_messages is not None and handled >= max_messages:
                break
        channel.cancel()  # a message the broker already sent ahead goes back to the queue
    return handled
