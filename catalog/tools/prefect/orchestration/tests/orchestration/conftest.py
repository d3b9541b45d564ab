"""Prefect reads its settings and creates ``PREFECT_HOME`` (``~/.prefect``) when it is first imported.

This runs before the tests import it, so they get a home of their own: no profile of
the user's (with a ``PREFECT_API_URL``, say) applies, and nothing is written to ``~``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest

_home = tempfile.mkdtemp(prefix="prefect-home-")
atexit.register(shutil.rmtree, _home, ignore_errors=True)
os.environ["PREFECT_HOME"] = _home
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"


@pytest.fixture
def launch_runs_here() -> Iterator[bool]:
    """Without ``PREFECT_DEPLOYMENT`` the flow runs in the test's process, on a temporary Prefect server.

    The harness's server, given two minutes to start: the one a plain flow run starts
    waits 20 s, which a busy CI machine exceeds.
    """
    # Imported here: Prefect must first see the PREFECT_HOME set above.
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield True
