"""Read the offline runs back from their ``.wandb`` transaction logs with W&B's own reader.

``wandb leet inspect --json`` decodes a run's transaction log, the same file
``wandb sync`` uploads: ``--summary`` folds it into the run's final config and
summary, without it every record is printed, one JSON object a line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from {{ cookiecutter.package_name }} import tracking


def _inspect(run_dir: Path, *options: str) -> str:
    command = [sys.executable, "-m", "wandb", "leet", "inspect", "--json", *options, str(run_dir)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr}")
    return result.stdout


def _offline_run_dirs() -> list[Path]:
    return sorted((tracking.wandb_dir() / "wandb").glob("offline-run-*"))


@pytest.fixture
def recorded_runs() -> Callable[[], list[dict[str, Any]]]:
    def read() -> list[dict[str, Any]]:
        runs: list[dict[str, Any]] = []
        for run_dir in _offline_run_dirs():
            run = json.loads(_inspect(run_dir, "--summary"))
            summary: dict[str, Any] = run["summary"]
            runs.append(
                {
                    "params": {name: str(value) for name, value in run["config"].items() if not name.startswith("_")},
                    "metrics": {
                        name: float(value)
                        for name, value in summary.items()
                        if not name.startswith("_") and isinstance(value, int | float) and not isinstance(value, bool)
                    },
                    "gate": summary.get("quality_gate"),
                }
            )
        return runs

    return read


@pytest.fixture
def run_records() -> Callable[[], list[list[dict[str, Any]]]]:
    """Every record of every offline run, one list per run."""

    def read() -> list[list[dict[str, Any]]]:
        return [
            [json.loads(line) for line in _inspect(run_dir).splitlines() if line.strip()]
            for run_dir in _offline_run_dirs()
        ]

    return read
