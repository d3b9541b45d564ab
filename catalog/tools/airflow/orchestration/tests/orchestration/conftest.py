"""Airflow runs here with ``airflow dags test``, on a SQLite database in the test's folder."""

from __future__ import annotations

import pytest


@pytest.fixture
def launch_runs_here() -> bool:
    return True
