"""Every test gets its own copy of the feature repository, so registry, source and online store start empty.

The stores land beside the copy, in the test's own ``feast_data/``. The
setting is made after ``workdir`` cleared the ones from ``.env.example``, and
subprocesses the tests start (the Feast CLI, servers) inherit it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

PROJECT_REPO = Path(__file__).resolve().parents[2] / "feature_repo"


@pytest.fixture(autouse=True)
def feature_repo(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = workdir / "feature_repo"
    shutil.copytree(PROJECT_REPO, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setenv("FEAST_REPO_PATH", str(copy))
    return copy
