"""Compare what the service saw with what the model was trained on, and ask for a retrain when it drifted.

``{{ cookiecutter.project_slug }}-monitor`` (or ``make monitor``) reads the last
``MONITOR_WINDOW`` lines of the prediction log, compares their features with the
training data in storage through the ``drift`` interface, writes the report under
``WORK_DIR/reports/`` and prints the score. When the data drifted it publishes a
retrain request on ``RETRAIN_TOPIC`` through the ``events`` interface; whatever
listens there starts the training pipeline. Schedule it as often as the traffic
warrants.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import deque
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from {{ cookiecutter.package_name }} import drift, events, retrain, steps, storage
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.data import FEATURES
from {{ cookiecutter.package_name }}.interfaces import DriftReport
from {{ cookiecutter.package_name }}.prediction_log import log_path


@dataclass(frozen=True)
class MonitorSettings:
    prediction_log: Path
    window: int
    """How many of the latest predictions are compared."""
    min_rows: int
    """Below this many logged predictions a drift test says nothing: skip."""
    retrain_topic: str
    reports_dir: Path

    @classmethod
    def from_env(cls, settings: Settings) -> MonitorSettings:
        env = os.environ.get
        return cls(
            prediction_log=log_path(settings),
            window=int(env("MONITOR_WINDOW", "1000")),
            min_rows=int(env("MONITOR_MIN_ROWS", "30")),
            retrain_topic=retrain.topic(),
            reports_dir=settings.work_dir / "reports",
        )


@dataclass(frozen=True)
class MonitorResult:
    report: DriftReport
    report_path: Path
    rows: int
    retrain_requested: bool


class MonitorError(RuntimeError):
    """The monitor cannot run; the message says what is missing."""


def logged_window(path: Path, window: int) -> pd.DataFrame:
    """The features of the last ``window`` predictions in the log at ``path`` (empty if there is none)."""
    if not path.is_file():
        return pd.DataFrame(columns=list(FEATURES))
    with path.open(encoding="utf-8") as log:
        lines = deque(log, maxlen=window)
    rows = []
    for line in lines:
        try:
            rows.append(json.loads(line)["features"])
        except (json.JSONDecodeError, KeyError):
            continue  # the line being written right now, or not a prediction
    frame = pd.DataFrame(rows, columns=list(FEATURES))
    return frame.dropna()


def training_reference() -> pd.DataFrame:
    """The features the model was trained on: the raw data in storage."""
    if not storage.exists(steps.RAW_DATA):
        raise MonitorError(f"no training data at {storage.uri(steps.RAW_DATA)}: run the training pipeline first")
    return storage.read_table(steps.RAW_DATA)[list(FEATURES)]


def run_monitor(settings: MonitorSettings) -> MonitorResult | None:
    """Compare the logged window with the training data; None when too few predictions were logged."""
    current = logged_window(settings.prediction_log, settings.window)
    if len(current) < settings.min_rows:
        return None
    reference = training_reference()
    report = drift.compare(reference, current)
    directory = settings.reports_dir / datetime.now(UTC).strftime("drift-%Y%m%dT%H%M%S%fZ")
    path = drift.write_report(report, reference, current, directory)
    if report.drifted:
        request = {
            "reason": "drift",
            "score": report.score,
            "feature_scores": report.feature_scores,
            "report": str(path),
            "rows": len(current),
            "requested_at": datetime.now(UTC).isoformat(),
        }
        events.publish(settings.retrain_topic, request)
    return MonitorResult(report=report, report_path=path, rows=len(current), retrain_requested=report.drifted)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Compare logged predictions with the training data for drift.")
    parser.add_argument("--window", type=int, help="how many of the latest predictions to compare")
    args = parser.parse_args(argv)
    settings = MonitorSettings.from_env(Settings.from_env())
    if args.window is not None:
        settings = replace(settings, window=args.window)
    try:
        result = run_monitor(settings)
    except MonitorError as error:
        sys.exit(f"error: {error}")
    if result is None:
        print(f"fewer than {settings.min_rows} predictions in {settings.prediction_log}: nothing to compare yet")
        return
    print(f"drift_score={result.report.score:.3f} drifted={result.report.drifted} rows={result.rows}")
    print(f"report: {result.report_path}")
    if result.retrain_requested:
        print(f"retrain requested on topic {settings.retrain_topic!r}")


if __name__ == "__main__":
    main()
