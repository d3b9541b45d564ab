"""The DAG as Airflow sees it: it loads in a DagBag, and ``airflow dags test`` runs it to success."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from airflow.models.dagbag import DagBag

DAGS = Path(__file__).resolve().parents[1] / "dags"
DAG_ID = "{{ cookiecutter.package_name }}_training"


@pytest.fixture(scope="module")
def dagbag() -> DagBag:
    return DagBag(dag_folder=str(DAGS))


def test_dags_import_without_errors(dagbag: DagBag) -> None:
    assert dagbag.import_errors == {}
    assert DAG_ID in dagbag.dag_ids


def test_dag_runs_the_steps_in_order(dagbag: DagBag) -> None:
    dag = dagbag.dags[DAG_ID]
    assert set(dag.task_ids) == {"ingest", "split", "train", "evaluate", "register"}
    downstream = {task.task_id: set(task.downstream_task_ids) for task in dag.tasks}
    assert downstream["ingest"] == {"split"}
    assert downstream["split"] == {"train", "evaluate", "register"}
    assert downstream["train"] == {"evaluate", "register"}
    assert downstream["evaluate"] == {"register"}
    assert dag.schedule is None, "training is triggered on demand (or by a retraining trigger)"


def test_dag_runs_to_success_locally(tmp_path: Path, settings_env: dict[str, str]) -> None:
    """``airflow dags test`` on a throwaway SQLite metadata database."""
    env = {
        **os.environ,
        **settings_env,
        "AIRFLOW_HOME": str(tmp_path / "airflow"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    }
    airflow = [sys.executable, "-m", "airflow"]
    subprocess.run([*airflow, "db", "migrate"], env=env, check=True, capture_output=True)
    result = subprocess.run([*airflow, "dags", "test", DAG_ID], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    run_dirs = list(Path(settings_env["WORK_DIR"]).iterdir())
    assert len(run_dirs) == 1
    assert (run_dirs[0] / "model.joblib").is_file()
