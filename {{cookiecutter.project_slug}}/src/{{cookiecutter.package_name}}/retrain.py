"""Retraining on request: a request on the ``retrain`` topic starts a training run on the orchestrator.

Anything that decides the model is stale (a drift check, new data landing, a
person) publishes a request with ``request_retrain`` or
``{{ cookiecutter.project_slug }}-request-retrain --reason ...``;
``{{ cookiecutter.project_slug }}-retrain-listener`` consumes the topic (``RETRAIN_TOPIC``) through the
chosen broker (``events``) and starts one run per request through the chosen
orchestrator (``launch``). A request is acknowledged only once its run started
(or, for orchestrators that run it here, finished): if starting fails, the
listener stops with the error and the request is delivered again.
"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from {{ cookiecutter.package_name }} import events

TOPIC = "retrain"
"""The topic requests go on unless ``RETRAIN_TOPIC`` names another."""
# Long enough that an idle listener costs nothing, short enough to stop promptly.
IDLE_WAIT_S = 20.0

logger = logging.getLogger(__name__)

Start = Callable[[str], str]


def topic() -> str:
    """``RETRAIN_TOPIC``, else ``retrain``: where the monitor, the request command and the listener meet."""
    return os.environ.get("RETRAIN_TOPIC") or TOPIC


def request_retrain(reason: str) -> None:
    """Ask for a training run; the listener starts it."""
    events.publish(topic(), {"reason": reason, "requested_at": datetime.now(UTC).isoformat()})


def listen(*, start: Start | None = None, max_messages: int | None = None, wait_s: float = IDLE_WAIT_S) -> list[str]:
    """Start a run per request until ``max_messages`` were handled or none came for ``wait_s``; the runs' ids.

    ``start`` defaults to the orchestrator's ``launch.start_training``, imported only
    here: publishing a request must not load an orchestrator's SDK.
    """
    if start is None:
        from {{ cookiecutter.package_name }} import launch

        start = launch.start_training
    start_run: Start = start
    runs: list[str] = []

    def handle(message: dict[str, Any]) -> None:
        reason = str(message.get("reason") or "retrain requested")
        run = start_run(reason)
        logger.info("started training run %s: %s", run, reason)
        runs.append(run)

    events.consume(topic(), handle, max_messages=max_messages, wait_s=wait_s)
    return runs


def listener_main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=f"Start a training run for every request on the '{topic()}' topic.")
    parser.add_argument("--once", action="store_true", help="stop once no request came for --wait-s seconds")
    parser.add_argument("--max-messages", type=int, default=None, help="stop after this many requests")
    parser.add_argument("--wait-s", type=float, default=IDLE_WAIT_S, help="how long one poll waits for a request")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    handled = 0
    while args.max_messages is None or handled < args.max_messages:
        remaining = None if args.max_messages is None else args.max_messages - handled
        runs = listen(max_messages=remaining, wait_s=args.wait_s)
        handled += len(runs)
        for run in runs:
            print(run, flush=True)
        if args.once and not runs:
            break


def request_main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=f"Publish a retrain request on the '{topic()}' topic.")
    parser.add_argument("--reason", required=True, help="why the model should be retrained, kept with the run")
    args = parser.parse_args(argv)
    request_retrain(args.reason)
    print(f"requested a training run: {args.reason}")
