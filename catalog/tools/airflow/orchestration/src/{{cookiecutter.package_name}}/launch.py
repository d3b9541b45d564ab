"""Start a training run of the Airflow DAG: through the API server when one is configured, else here.

With ``AIRFLOW_API_URL`` set (the API server, e.g. ``http://airflow:8080``), this
triggers a DAG run through Airflow 3's REST API (``POST /api/v2/dags/{dag_id}/dagRuns``,
with ``AIRFLOW_API_TOKEN`` as bearer token when set) and returns its run id at
once; the scheduler runs it. Unset, it runs the DAG once in a subprocess with
``airflow dags test`` on a local SQLite metadata database, as ``make dag-test``
does, and returns when the run finished.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

DAG_ID = "{{ cookiecutter.package_name }}_training"
PROJECT_ROOT = Path(__file__).resolve().parents[2]

logger = logging.getLogger(__name__)


def _trigger(api_url: str, reason: str) -> str:
    body: dict[str, object] = {"logical_date": None, "conf": {}, "note": reason}
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    token = os.environ.get("AIRFLOW_API_TOKEN", "")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        f"{api_url.rstrip('/')}/api/v2/dags/{DAG_ID}/dagRuns", data=json.dumps(body).encode(), headers=headers
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return str(json.load(response)["dag_run_id"])


def _test_locally() -> str:
    """``airflow dags test`` with the project's DAGs, on the metadata database of ``AIRFLOW_HOME``."""
    defaults = {
        "AIRFLOW_HOME": str(Path(".airflow").resolve()),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    }
    env = defaults | dict(os.environ)
    logical_date = datetime.now(UTC).isoformat()
    airflow = [sys.executable, "-m", "airflow"]
    subprocess.run([*airflow, "db", "migrate"], env=env, check=True, capture_output=True)
    result = subprocess.run([*airflow, "dags", "test", DAG_ID, logical_date], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"airflow dags test {DAG_ID} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return f"{DAG_ID}@{logical_date}"


def start_training(reason: str) -> str:
    api_url = os.environ.get("AIRFLOW_API_URL", "")
    logger.info("training on Airflow (%s): %s", api_url or "airflow dags test", reason)
    return _trigger(api_url, reason) if api_url else _test_locally()
