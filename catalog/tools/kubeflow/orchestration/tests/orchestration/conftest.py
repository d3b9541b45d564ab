"""Without ``KFP_HOST``, kfp's local runner runs the pipeline in subprocesses of this interpreter."""

from __future__ import annotations

import pytest


@pytest.fixture
def launch_runs_here() -> bool:
    return True
