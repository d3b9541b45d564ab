"""The stage interfaces: what each stage module offers, whichever tool implements it.

Each stage has one module in this package (``tracking``, ``registry``, ``storage``, ...)
holding the chosen tool's implementation only; the steps, the pipeline and the
service call nothing else. The contracts are written down once here as
protocols, and mypy checks every stage module against its protocol (PEP 544:
a module satisfies a protocol when its functions match), so switching a tool
cannot silently change what the rest of the project calls.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import pandas as pd


class Tracking(Protocol):
    """Records each training run: parameters, data, metrics, the model and the gate's verdict."""

    def start_run(self, run_name: str) -> AbstractContextManager[object]: ...
    def log_params(self, params: Mapping[str, float | int | str]) -> None: ...
    def log_metrics(self, metrics: Mapping[str, float]) -> None: ...
    def log_dataset(self, path: Path, context: str) -> None: ...
    def log_model(self, model_path: Path) -> None: ...
    def log_gate(self, passed: bool, threshold: float) -> None: ...


class Lineage(Protocol):
    """Records which data each model comes from."""

    def record_split(self, dataset: Path, train: Path, test: Path, test_size: float, seed: int) -> None: ...
    def record_training(
        self,
        train: Path,
        test: Path,
        model: Path,
        params: Mapping[str, float | int | str],
        metrics: Mapping[str, float],
        passed: bool,
    ) -> None: ...
    def record_publication(self, model: Path, version: str) -> None: ...


class Storage(Protocol):
    """Object and table storage for raw data and artifacts, addressed by keys such as ``raw/iris.csv``."""

    def uri(self, key: str) -> str: ...
    def exists(self, key: str) -> bool: ...
    def upload(self, local: Path, key: str) -> str: ...
    def download(self, key: str, local: Path) -> Path: ...
    def write_table(self, key: str, frame: pd.DataFrame) -> str: ...
    def read_table(self, key: str) -> pd.DataFrame: ...


Handler = Callable[[dict[str, Any]], None]


class Events(Protocol):
    """Messages between producers and the pipeline (new data, retrain requests), at least once.

    ``consume`` hands each message to ``handler`` and acknowledges it only once the
    handler returned; it stops after ``max_messages`` or when no message arrived for
    ``wait_s`` seconds, and returns how many it handled.
    """

    def publish(self, topic: str, message: Mapping[str, Any]) -> None: ...
    def consume(self, topic: str, handler: Handler, *, max_messages: int | None = None, wait_s: float = 5.0) -> int: ...


class Features(Protocol):
    """The same features for training (from the data set's rows) and serving (from a request's rows)."""

    def publish(self, frame: pd.DataFrame) -> None: ...
    def training_frame(self, frame: pd.DataFrame) -> pd.DataFrame: ...
    def online_features(self, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, float]]: ...


class Monitoring(Protocol):
    """What the service observes, and the text it exposes on ``GET /metrics`` (None: no metrics backend)."""

    def model_loaded(self, version: str | None) -> None: ...
    def observe_request(self, route: str, status: int, latency_s: float) -> None: ...
    def observe_predictions(self, class_names: Sequence[str]) -> None: ...
    def exposition(self) -> tuple[bytes, str] | None: ...


@dataclass(frozen=True)
class DriftReport:
    """Reference against current data: one score per feature, their summary and the decision."""

    score: float
    """Share of features whose distribution moved (0 to 1)."""
    drifted: bool
    feature_scores: dict[str, float] = field(default_factory=dict)
    """Per feature, the statistic the drift tool computed (a p-value, a distance)."""
    details: dict[str, Any] = field(default_factory=dict)


class Drift(Protocol):
    """Compares the data the model was trained on with what the service saw."""

    def compare(self, reference: pd.DataFrame, current: pd.DataFrame) -> DriftReport: ...
    def write_report(
        self, report: DriftReport, reference: pd.DataFrame, current: pd.DataFrame, directory: Path
    ) -> Path: ...


class Launch(Protocol):
    """Starts a training run on the chosen orchestrator (a retrain request, say), whole: every step, to the registry."""

    def start_training(self, reason: str) -> str:
        """Start one run, say why in its record where the orchestrator keeps one; return its run id or URL."""
        ...


if TYPE_CHECKING:
    from {{ cookiecutter.package_name }} import drift, events, features, launch, lineage, monitoring, storage, tracking

    _tracking: Tracking = tracking
    _lineage: Lineage = lineage
    _storage: Storage = storage
    _events: Events = events
    _features: Features = features
    _monitoring: Monitoring = monitoring
    _drift: Drift = drift
    _launch: Launch = launch
