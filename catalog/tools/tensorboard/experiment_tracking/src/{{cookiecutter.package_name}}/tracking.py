"""Record training runs as TensorBoard event files.

Each run gets its own folder under ``TENSORBOARD_LOGDIR`` (default ``runs``),
named after the run and its start time, so TensorBoard shows every run side by
side, rejected ones too. The events are built with TensorBoard's own summary
protos and event-file writer, which need neither TensorFlow nor PyTorch.
Browse them with ``tensorboard --logdir runs`` (``make tensorboard``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tensorboard.compat.proto.event_pb2 import Event
from tensorboard.compat.proto.summary_pb2 import Summary
from tensorboard.plugins.hparams import summary_v2 as hparams_summary
from tensorboard.plugins.scalar import summary_v2 as scalar_summary
from tensorboard.plugins.text import summary_v2 as text_summary
from tensorboard.summary.writer.event_file_writer import EventFileWriter

# A run is a single evaluation, so every value is one point at step 0.
STEP = 0


@dataclass
class _Run:
    directory: Path
    writer: EventFileWriter
    started: float = field(default_factory=time.time)

    def write(self, summary: Summary) -> None:
        self.writer.add_event(Event(wall_time=time.time(), step=STEP, summary=summary))


_active_run: ContextVar[_Run | None] = ContextVar("tensorboard_run", default=None)


def log_dir() -> Path:
    return Path(os.environ.get("TENSORBOARD_LOGDIR", "runs"))


def _new_run_directory(run_name: str) -> Path:
    """``<logdir>/<run_name>-<start time>``, with a counter when two runs start in the same second."""
    base = log_dir() / f"{run_name}-{datetime.now():%Y%m%d-%H%M%S}"
    candidate, counter = base, 1
    while True:
        try:
            candidate.mkdir(parents=True)
        except FileExistsError:
            counter += 1
            candidate = base.with_name(f"{base.name}-{counter}")
        else:
            return candidate


def _current() -> _Run:
    run = _active_run.get()
    if run is None:
        raise RuntimeError("tracking calls must happen inside `with tracking.start_run(...)`")
    return run


@contextmanager
def start_run(run_name: str) -> Iterator[Path]:
    """Open a run for the calls inside the ``with`` block; yield its folder."""
    directory = _new_run_directory(run_name)
    run = _Run(directory, EventFileWriter(str(directory)))
    token = _active_run.set(run)
    try:
        yield directory
    finally:
        _active_run.reset(token)
        # The writer flushes from a background thread; closing makes the run complete on disk.
        run.writer.close()


def log_params(params: Mapping[str, float | int | str]) -> None:
    """Record the parameters as HParams, so the HParams tab compares runs by them."""
    run = _current()
    run.write(hparams_summary.hparams_pb(dict(params), trial_id=run.directory.name, start_time_secs=run.started))


def log_metrics(metrics: Mapping[str, float]) -> None:
    run = _current()
    for name, value in metrics.items():
        run.write(scalar_summary.scalar_pb(name, value))


def log_dataset(path: Path, context: str) -> None:
    """Record where the data set is and its digest, to tell later whether it changed."""
    with path.open("rb") as file:
        digest = hashlib.file_digest(file, "sha256").hexdigest()
    _current().write(text_summary.text_pb(f"dataset/{context}", f"`{path.resolve()}` (sha256 `{digest}`)"))


def log_model(model_path: Path) -> None:
    """Keep a copy of the trained model file in the run folder; the registry publishes it separately."""
    run = _current()
    copy = run.directory / "model" / model_path.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(model_path, copy)
    run.write(text_summary.text_pb("model", f"`{copy.resolve()}` (copied from `{model_path.resolve()}`)"))


def log_gate(passed: bool, threshold: float) -> None:
    run = _current()
    run.write(text_summary.text_pb("quality_gate", "passed" if passed else "failed"))
    # As scalars too, so the HParams tab can show and filter runs by the gate.
    run.write(scalar_summary.scalar_pb("quality_gate/passed", 1.0 if passed else 0.0))
    run.write(scalar_summary.scalar_pb("quality_gate/min_accuracy", threshold))
