"""With no orchestrator, a run is the local pipeline in the test's own process and folder."""

from __future__ import annotations

import pytest


@pytest.fixture
def launch_runs_here() -> bool:
    return True
