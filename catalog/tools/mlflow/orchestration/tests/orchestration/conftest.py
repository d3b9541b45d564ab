"""The test's folder as the MLflow Project ``mlflow run`` runs (``project_dir``)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import mlflow
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project_dir(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder as the project ``mlflow run`` runs, its runs tracked in a SQLite file there.

    The entry points run the installed package, so the MLproject is all they need
    from the project folder; running it from the temporary folder keeps every
    relative default (run folders, local stores) there.
    """
    shutil.copy(PROJECT_ROOT / "MLproject", workdir / "MLproject")
    tracking_uri = f"sqlite:///{workdir / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", tracking_uri)
    # MLflow keeps the store and experiment of earlier tests in this process (the
    # project's modules set their own before each use): start from this test's.
    mlflow.set_tracking_uri(tracking_uri)
    monkeypatch.delenv("MLFLOW_EXPERIMENT_ID", raising=False)
    # The commands of the entry points live beside this interpreter, on PATH or not.
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    return workdir


@pytest.fixture
def launch_runs_here(project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> bool:
    """``launch`` runs the project in the test's folder, where the registry's local defaults are."""
    monkeypatch.setenv("MLFLOW_PROJECT_URI", str(project_dir))
    return True
