"""The prediction log: every line in order, bounded, flushed on close, and never in the request's way."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.prediction_log import PredictionLog, append_to, log_path

ROW = {"sepal_length_cm": 5.1, "sepal_width_cm": 3.5, "petal_length_cm": 1.4, "petal_width_cm": 0.2}


class BlockedDisk:
    """A write that does not return until the test releases it: a disk as slow as it gets."""

    def __init__(self) -> None:
        self.writing = threading.Event()
        self.release = threading.Event()
        self.chunks: list[str] = []

    def __call__(self, text: str) -> None:
        self.writing.set()
        self.release.wait()
        self.chunks.append(text)

    def lines(self) -> list[dict[str, object]]:
        return [json.loads(line) for line in "".join(self.chunks).splitlines()]


def _row(number: int) -> dict[str, float]:
    return {**ROW, "sepal_length_cm": float(number)}


def test_each_prediction_is_one_line_in_order_with_its_context(settings: Settings) -> None:
    log = PredictionLog(append_to(log_path(settings)))
    for number in range(50):
        log.record([_row(number), _row(number + 100)], ["setosa", "virginica"], model_version="3", latency_s=0.0042)
    log.close()
    lines = [json.loads(line) for line in log_path(settings).read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 100
    assert [line["features"]["sepal_length_cm"] for line in lines[:4]] == [0.0, 100.0, 1.0, 101.0]
    assert lines[1]["predicted_class"] == "virginica"
    assert lines[1]["model_version"] == "3"
    assert lines[1]["latency_ms"] == 4.2
    assert lines[0]["timestamp"].endswith("+00:00")
    assert log.dropped == 0


def test_the_log_lands_in_the_work_folder_unless_prediction_log_is_set(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert log_path(settings) == settings.work_dir / "predictions.jsonl"
    monkeypatch.setenv("PREDICTION_LOG", "elsewhere/log.jsonl")
    assert log_path(settings) == Path("elsewhere/log.jsonl")


def test_a_slow_disk_never_blocks_a_request_and_a_full_queue_drops_and_counts() -> None:
    disk = BlockedDisk()
    log = PredictionLog(disk, capacity=5)
    log.record([_row(0)], ["setosa"], model_version="1", latency_s=0.001)
    assert disk.writing.wait(timeout=30), "the writer thread never wrote"
    # The writer is stuck in a write: these calls must still return at once.
    for number in range(1, 9):
        log.record([_row(number)], ["setosa"], model_version="1", latency_s=0.001)
    assert log.dropped == 3
    disk.release.set()
    log.close()
    assert [line["features"]["sepal_length_cm"] for line in disk.lines()] == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]


def test_close_writes_everything_still_queued_and_later_lines_are_counted_as_dropped() -> None:
    disk = BlockedDisk()
    log = PredictionLog(disk, capacity=100)
    log.record([_row(0)], ["setosa"], model_version="1", latency_s=0.001)
    assert disk.writing.wait(timeout=30)
    for number in range(1, 20):
        log.record([_row(number)], ["setosa"], model_version="1", latency_s=0.001)
    disk.release.set()
    log.close()
    assert len(disk.lines()) == 20
    log.record([_row(99)], ["setosa"], model_version="1", latency_s=0.001)
    assert log.dropped == 1
    assert len(disk.lines()) == 20


def test_a_failing_disk_loses_lines_not_the_service() -> None:
    def full_disk(text: str) -> None:
        raise OSError(28, "No space left on device")

    log = PredictionLog(full_disk)
    log.record([_row(0), _row(1)], ["setosa", "setosa"], model_version="1", latency_s=0.001)
    log.close()
    assert log.dropped == 2
