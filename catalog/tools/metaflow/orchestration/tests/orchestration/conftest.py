"""Metaflow runs here on its local metadata and datastore, kept in the test's folder."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def launch_runs_here(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> bool:
    monkeypatch.setenv("METAFLOW_HOME", str(workdir / "metaflow-home"))  # no user configuration file
    monkeypatch.setenv("METAFLOW_DEFAULT_METADATA", "local")
    monkeypatch.setenv("METAFLOW_DEFAULT_DATASTORE", "local")
    monkeypatch.setenv("METAFLOW_DATASTORE_SYSROOT_LOCAL", str(workdir))
    # Metaflow refuses to run with no user name (root in CI containers).
    monkeypatch.setenv("USERNAME", "pytest")
    return True
