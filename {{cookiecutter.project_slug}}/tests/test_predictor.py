"""What every service predicts through: the published model, and a log that never holds a request."""

from __future__ import annotations

import threading
import time

import pytest

from {{ cookiecutter.package_name }} import registry
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.pipeline import PipelineResult
from {{ cookiecutter.package_name }}.prediction_log import PredictionLog
from {{ cookiecutter.package_name }}.predictor import ModelNotLoadedError, Predictor
from {{ cookiecutter.package_name }}.schemas import IrisFeatures

SETOSA = IrisFeatures(sepal_length_cm=5.1, sepal_width_cm=3.5, petal_length_cm=1.4, petal_width_cm=0.2)


class StuckDisk:
    """A write that does not return until the test releases it."""

    def __init__(self) -> None:
        self.writing = threading.Event()
        self.release = threading.Event()
        self.chunks: list[str] = []

    def __call__(self, text: str) -> None:
        self.writing.set()
        self.release.wait()
        self.chunks.append(text)


@pytest.mark.usefixtures("trained")
def test_a_stuck_log_never_holds_a_prediction_and_a_full_queue_drops_and_counts(settings: Settings) -> None:
    disk = StuckDisk()
    predictor = Predictor(settings, log=PredictionLog(disk, capacity=3))
    predictor.predict([SETOSA])
    assert disk.writing.wait(timeout=30), "the writer thread never wrote"
    started = time.perf_counter()
    # The writer is stuck in its first write: three lines fit in the queue, the other seven are dropped.
    responses = [predictor.predict([SETOSA]) for _ in range(10)]
    elapsed = time.perf_counter() - started
    assert [response.predictions[0].class_name for response in responses] == ["setosa"] * 10
    assert predictor.log.dropped == 7
    assert elapsed < 5, f"ten predictions took {elapsed:.1f} s behind a stuck log"
    disk.release.set()
    predictor.close()
    assert "".join(disk.chunks).count("\n") == 4


def test_without_a_published_model_the_predictor_says_where_it_looked(settings: Settings) -> None:
    predictor = Predictor(settings)
    assert not predictor.ready
    with pytest.raises(ModelNotLoadedError, match="model not loaded from"):
        predictor.predict([SETOSA])
    with pytest.raises(ModelNotLoadedError):
        predictor.health()
    predictor.close()
    assert predictor.log.dropped == 0


def test_with_a_model_the_predictor_is_ready_and_names_it(trained: PipelineResult, settings: Settings) -> None:
    del trained  # requested for the model it publishes
    predictor = Predictor(settings)
    assert predictor.ready
    assert predictor.health().model_uri == registry.model_uri(settings)
    predictor.close()
