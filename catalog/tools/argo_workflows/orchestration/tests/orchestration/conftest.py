"""Without ``ARGO_SERVER``, the workflow's step commands run here: they need the project's console scripts."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest


@pytest.fixture
def launch_runs_here(monkeypatch: pytest.MonkeyPatch) -> bool:
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    return True
