"""Events on Amazon SQS: one standard queue per topic, ``SQS_QUEUE_PREFIX`` + the topic's name.

A queue is created on first use. ``consume`` long-polls (up to 20 s a call),
deletes a message only after its handler returned, and when the handler raises
makes that message and the rest of its batch visible again at once
(``ChangeMessageVisibility`` 0), so the next consumer receives them instead of
waiting for the visibility timeout. ``SQS_VISIBILITY_TIMEOUT`` is how long a
received batch stays hidden from other consumers: longer than handling a batch
takes (a training run, for the retrain listener). Standard queues deliver at
least once and do not keep order. The endpoint, region and credentials are
those of ``aws.client``: the local moto server unless ``AWS_ENDPOINT_URL`` is set.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from {{ cookiecutter.package_name }} import aws
from {{ cookiecutter.package_name }}.interfaces import Handler

LONGEST_POLL_S = 20  # SQS's limit for one ReceiveMessage call
BATCH = 10  # SQS's limit for one ReceiveMessage call


def _queue_url(sqs: Any, topic: str) -> str:
    name = os.environ.get("SQS_QUEUE_PREFIX", "{{ cookiecutter.project_slug }}-") + topic
    try:
        return str(sqs.get_queue_url(QueueName=name)["QueueUrl"])
    except ClientError as error:
        if error.response["Error"]["Code"] not in {"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"}:
            raise
    return str(sqs.create_queue(QueueName=name)["QueueUrl"])


def publish(topic: str, message: Mapping[str, Any]) -> None:
    sqs = aws.client("sqs")
    sqs.send_message(QueueUrl=_queue_url(sqs, topic), MessageBody=json.dumps(dict(message)))


def consume(topic: str, handler: Handler, *, max_messages: int | None = None, wait_s: float = 5.0) -> int:
    sqs = aws.client("sqs")
    queue_url = _queue_url(sqs, topic)
    visibility = int(os.environ.get("SQS_VISIBILITY_TIMEOUT", "900"))
    handled = 0
    deadline = time.monotonic() + wait_s
    while max_messages is None or handled < max_messages:
        remaining_s = deadline - time.monotonic()
        if remaining_s <= 0:
            break
        wanted = BATCH if max_messages is None else min(BATCH, max_messages - handled)
        received = sqs.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=wanted,
            WaitTimeSeconds=min(LONGEST_POLL_S, math.ceil(remaining_s)),
            VisibilityTimeout=visibility,
        ).get("Messages", [])
        for index, message in enumerate(received):
            try:
                handler(json.loads(message["Body"]))
            except BaseException:
                for unhandled in received[index:]:
                    sqs.change_message_visibility(
                        QueueUrl=queue_url, ReceiptHandle=unhandled["ReceiptHandle"], VisibilityTimeout=0
                    )
                raise
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            handled += 1
        if received:
            deadline = time.monotonic() + wait_s
    return handled
