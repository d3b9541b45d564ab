"""Events on Redis through RSMQ: one queue per topic, ``RSMQ_QUEUE_PREFIX`` + the topic's name.

RSMQ keeps a queue in a few Redis keys (namespace ``rsmq``, as every RSMQ client
reads them) and creates it here on first use. A message is JSON. RSMQ has no
blocking receive, so ``consume`` asks every ``POLL_S`` seconds while the topic is
empty; it deletes a message only after its handler returned, and when the handler
raises makes the message visible again at once, so the next consumer receives it.
``RSMQ_VISIBILITY_TIMEOUT`` is how long a received message stays hidden from other
consumers: longer than handling it takes (a training run, for the retrain
listener); a message received but not deleted within it is delivered again.
Delivery is at least once. The server is ``REDIS_URL``; the queues are as durable
as its persistence (append-only file or snapshots) makes them.
"""

from __future__ import annotations

import contextlib
import json
import os
import string
import time
from collections.abc import Mapping
from typing import Any

from redis import Redis
from rsmq import RedisSMQ
from rsmq.cmd import NoMessageInQueue, QueueAlreadyExists

from {{ cookiecutter.package_name }}.interfaces import Handler

DEFAULT_URL = "redis://127.0.0.1:6379/0"
POLL_S = 0.25
# RSMQ's rule for queue names; a name it refuses would otherwise be dropped silently.
NAME_CHARACTERS = frozenset(string.ascii_letters + string.digits + "._-")
NAME_MAX_LENGTH = 64


def _visibility_s() -> int:
    return int(os.environ.get("RSMQ_VISIBILITY_TIMEOUT", "900"))


def _queue(topic: str) -> tuple[RedisSMQ, str]:
    name = os.environ.get("RSMQ_QUEUE_PREFIX", "{{ cookiecutter.project_slug }}-") + topic
    if len(name) > NAME_MAX_LENGTH or not set(name) <= NAME_CHARACTERS:
        raise ValueError(f"RSMQ queue names have up to {NAME_MAX_LENGTH} of A-Z a-z 0-9 . _ -: {name!r}")
    client = Redis.from_url(os.environ.get("REDIS_URL") or DEFAULT_URL, decode_responses=True)
    queues = RedisSMQ(client=client)
    with contextlib.suppress(QueueAlreadyExists):
        queues.createQueue(qname=name, vt=_visibility_s()).execute()
    return queues, name


def publish(topic: str, message: Mapping[str, Any]) -> None:
    queues, name = _queue(topic)
    if not queues.sendMessage(qname=name, message=json.dumps(dict(message))).execute():
        raise RuntimeError(f"RSMQ did not take the message for {name}")


def consume(topic: str, handler: Handler, *, max_messages: int | None = None, wait_s: float = 5.0) -> int:
    queues, name = _queue(topic)
    visibility = _visibility_s()
    handled = 0
    deadline = time.monotonic() + wait_s
    while max_messages is None or handled < max_messages:
        try:
            received = queues.receiveMessage(qname=name, vt=visibility).execute()
        except NoMessageInQueue:
            remaining_s = deadline - time.monotonic()
            if remaining_s <= 0:
                break
            time.sleep(min(POLL_S, remaining_s))
            continue
        try:
            handler(json.loads(received["message"]))
        except BaseException:
            queues.changeMessageVisibility(qname=name, id=received["id"], vt=0).execute()
            raise
        queues.deleteMessage(qname=name, id=received["id"]).execute()
        handled += 1
        deadline = time.monotonic() + wait_s
    return handled
