"""The DAG as Airflow sees it: it parses fast, loads in a DagBag, and ``airflow dags test`` runs it to success."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from airflow.models.dagbag import DagBag

DAGS = Path(__file__).resolve().parents[2] / "dags"
DAG_ID = "{{ cookiecutter.package_name }}_training"
HEAVY_MODULES = ("sklearn", "pandas", "joblib", "{{ cookiecutter.package_name }}")


@pytest.fixture(scope="module")
def dagbag() -> DagBag:
    return DagBag(dag_folder=str(DAGS))


def test_dags_import_without_errors(dagbag: DagBag) -> None:
    assert dagbag.import_errors == {}
    assert DAG_ID in dagbag.dag_ids


def test_parsing_the_dag_imports_no_ml_library() -> None:
    """The scheduler re-parses DAG files constantly; heavy imports belong inside the tasks."""
    probe = (
        "import runpy, sys; runpy.run_path(sys.argv[1]);"
        f"print(','.join(m for m in {HEAVY_MODULES!r} if m in sys.modules))"
    )
    dag_file = DAGS / f"{DAG_ID}.py"
    result = subprocess.run([sys.executable, "-c", probe, str(dag_file)], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_dag_runs_the_steps_in_order_one_run_at_a_time(dagbag: DagBag) -> None:
    dag = dagbag.dags[DAG_ID]
    assert set(dag.task_ids) == {"ingest", "split", "train", "evaluate", "register"}
    downstream = {task.task_id: set(task.downstream_task_ids) for task in dag.tasks}
    assert downstream["ingest"] == {"split"}
    assert downstream["split"] == {"train", "evaluate", "register"}
    assert downstream["train"] == {"evaluate", "register"}
    assert downstream["evaluate"] == {"register"}
    assert dag.max_active_runs == 1
    assert set(dag.params) == {"regularization", "max_iter"}
    retries = {task.task_id: task.retries for task in dag.tasks}
    assert retries["evaluate"] == 0, "a failed quality gate is final"
    assert retries["train"] > 0


@pytest.mark.integration
def test_dag_runs_to_success_locally(workdir: Path) -> None:
    """``airflow dags test`` on a throwaway SQLite metadata database."""
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(workdir / "airflow"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    }
    airflow = [sys.executable, "-m", "airflow"]
    subprocess.run([*airflow, "db", "migrate"], env=env, check=True, capture_output=True)
    result = subprocess.run([*airflow, "dags", "test", DAG_ID], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    run_dirs = list((workdir / "artifacts").iterdir())
    assert len(run_dirs) == 1
    assert (run_dirs[0] / "model.joblib").is_file()
