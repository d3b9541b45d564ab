"""Events with no broker: a folder queue per topic under ``EVENTS_DIR`` (default ``events``).

Each message is one JSON file, written under a temporary name and renamed into
place, so producers and consumers in different processes on one machine never
see half a message. A consumer claims a message by renaming it and deletes it
only after its handler returned; a handler that raises puts it back. Choose a
broker (``mlops-template update --set message_broker=<tool>``) to reach other
machines.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from {{ cookiecutter.package_name }}.interfaces import Handler

_POLL_S = 0.1


def _topic_dir(topic: str) -> Path:
    folder = Path(os.environ.get("EVENTS_DIR", "events")) / topic
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def publish(topic: str, message: Mapping[str, Any]) -> None:
    folder = _topic_dir(topic)
    name = f"{time.time_ns():020d}-{uuid.uuid4().hex}"
    partial = folder / f".{name}.tmp"
    partial.write_text(json.dumps(dict(message)), encoding="utf-8")
    partial.rename(folder / f"{name}.json")


def _claim(folder: Path) -> Path | None:
    for path in sorted(folder.glob("*.json")):
        claimed = path.with_suffix(".claimed")
        try:
            path.rename(claimed)
        except FileNotFoundError:  # another consumer took it first
            continue
        return claimed
    return None


def consume(topic: str, handler: Handler, *, max_messages: int | None = None, wait_s: float = 5.0) -> int:
    folder = _topic_dir(topic)
    handled = 0
    deadline = time.monotonic() + wait_s
    while max_messages is None or handled < max_messages:
        claimed = _claim(folder)
        if claimed is None:
            if time.monotonic() >= deadline:
                break
            time.sleep(_POLL_S)
            continue
        try:
            handler(json.loads(claimed.read_text(encoding="utf-8")))
        except BaseException:
            claimed.rename(claimed.with_suffix(".json"))  # back in the queue, for the next consumer
            raise
        claimed.unlink()
        handled += 1
        deadline = time.monotonic() + wait_s
    return handled
