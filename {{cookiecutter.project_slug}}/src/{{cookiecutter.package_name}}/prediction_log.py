"""What the service predicted, one JSON line per prediction, for the drift monitor to compare with training.

Each line holds the features, the predicted class, the model version, the
request's latency and a UTC timestamp. ``record`` only puts the lines on a
bounded queue; one background thread appends them to ``PREDICTION_LOG``
(default ``predictions.jsonl`` in ``WORK_DIR``), so a slow disk never slows a
request. When the queue is full the lines are dropped and counted
(``dropped``) rather than making the request wait; ``close`` writes what is
still queued.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from {{ cookiecutter.package_name }}.config import Settings

logger = logging.getLogger(__name__)

Write = Callable[[str], None]
"""Stores a chunk of complete lines."""

_CLOSE = object()


def log_path(settings: Settings) -> Path:
    """``PREDICTION_LOG``, else ``predictions.jsonl`` in the work folder."""
    return Path(os.environ.get("PREDICTION_LOG") or settings.work_dir / "predictions.jsonl")


def append_to(path: Path) -> Write:
    def write(text: str) -> None:
        # Opened per chunk, so a log rotated away is simply started again.
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(text)

    return write


class PredictionLog:
    """A bounded, non-blocking writer of prediction lines; ``close`` it when the service stops."""

    def __init__(self, write: Write, capacity: int = 10_000) -> None:
        self._write = write
        self._queue: queue.Queue[object] = queue.Queue(maxsize=capacity)
        self._dropped = 0
        self._lock = threading.Lock()
        self._closed = False
        self._thread = threading.Thread(target=self._drain, name="prediction-log", daemon=True)
        self._thread.start()

    @classmethod
    def from_env(cls, settings: Settings) -> PredictionLog:
        capacity = int(os.environ.get("PREDICTION_LOG_CAPACITY", "10000"))
        return cls(append_to(log_path(settings)), capacity=capacity)

    @property
    def dropped(self) -> int:
        """Lines lost because the queue was full or the log already closed."""
        return self._dropped

    def record(
        self,
        features: Sequence[Mapping[str, float]],
        class_names: Sequence[str],
        model_version: str,
        latency_s: float,
    ) -> None:
        """Queue one line per predicted row of a request; never waits."""
        timestamp = datetime.now(UTC).isoformat()
        for row, class_name in zip(features, class_names, strict=True):
            line = {
                "timestamp": timestamp,
                "model_version": model_version,
                "features": dict(row),
                "predicted_class": class_name,
                "latency_ms": round(latency_s * 1000, 3),
            }
            self._put(json.dumps(line) + "\n")

    def _put(self, line: str) -> None:
        with self._lock:
            try:
                if self._closed:
                    raise queue.Full
                self._queue.put_nowait(line)
            except queue.Full:
                self._dropped += 1

    def close(self) -> None:
        """Write every queued line, then stop the writer thread."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._queue.put(_CLOSE)
        self._thread.join()

    def _drain(self) -> None:
        while True:
            lines: list[str] = []
            item = self._queue.get()
            # Whatever queued up meanwhile goes in the same write: one append per burst, not per line.
            while item is not _CLOSE:
                lines.append(str(item))
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            if lines:
                try:
                    self._write("".join(lines))
                except OSError:
                    # A full or failing disk loses these lines, not the service.
                    logger.exception("could not write %d prediction lines", len(lines))
                    with self._lock:
                        self._dropped += len(lines)
            if item is _CLOSE:
                return
