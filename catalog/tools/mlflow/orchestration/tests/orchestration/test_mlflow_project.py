"""The MLproject as MLflow sees it: its loader parses it, and ``mlflow run`` runs the pipeline whole or step by step."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import mlflow
import mlflow.projects
import pytest
from mlflow import MlflowClient
from mlflow.entities import Run
from mlflow.projects._project_spec import load_project

from {{ cookiecutter.package_name }} import registry
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.model import TrainingParams
from {{ cookiecutter.package_name }}.pipeline import STEPS

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ENTRY_POINT_TAG = "mlflow.project.entryPoint"
EXPERIMENT = "{{ cookiecutter.project_slug }}"


def test_mlflow_loads_main_and_one_entry_point_per_step() -> None:
    project = load_project(str(PROJECT_ROOT))
    assert project.name == "{{ cookiecutter.project_slug }}"
    assert project.env_config_path is None, "the project runs in the installed environment"
    assert project.docker_env is None

    main = project.get_entry_point("main")
    assert {name: parameter.type for name, parameter in main.parameters.items()} == {
        "regularization": "float",
        "max_iter": "int",
    }
    defaults = TrainingParams()
    assert main.parameters["regularization"].default == defaults.regularization
    assert main.parameters["max_iter"].default == defaults.max_iter
    command = main.compute_command({"regularization": "0.5"}, storage_dir=None)
    assert command.endswith("{{ cookiecutter.project_slug }}-train --regularization 0.5 --max-iter 500")

    for step in STEPS:
        entry_point = project.get_entry_point(step)
        assert entry_point.parameters["run_dir"].type == "string"
        assert entry_point.parameters["run_dir"].default is None, "every step needs the run folder"
        command = entry_point.compute_command({"run_dir": "artifacts/run-1"}, storage_dir=None)
        assert f"{{ cookiecutter.project_slug }}-step {step} --run-dir artifacts/run-1" in command


def mlflow_run(project_dir: Path, entry_point: str, **parameters: str) -> None:
    command = [sys.executable, "-m", "mlflow", "run", ".", "-e", entry_point, "--env-manager", "local"]
    command += ["--experiment-name", EXPERIMENT]
    for name, value in parameters.items():
        command += ["-P", f"{name}={value}"]
    # The entry points run the project's console scripts by name: find them beside this interpreter.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    result = subprocess.run(command, cwd=project_dir, capture_output=True, text=True, env={**os.environ, "PATH": path})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def project_runs() -> list[Run]:
    """The runs ``mlflow run`` recorded for the entry points it ran, oldest first."""
    client = MlflowClient(os.environ["MLFLOW_TRACKING_URI"])
    experiment = client.get_experiment_by_name(EXPERIMENT)
    assert experiment is not None
    runs = client.search_runs([experiment.experiment_id], order_by=["attributes.start_time ASC"])
    return [run for run in runs if ENTRY_POINT_TAG in run.data.tags]


@pytest.mark.integration
def test_main_entry_point_runs_the_pipeline_and_publishes_the_model(project_dir: Path, settings: Settings) -> None:
    mlflow_run(project_dir, "main", regularization="1.0")

    (run,) = project_runs()
    assert run.data.tags[ENTRY_POINT_TAG] == "main"
    assert run.info.status == "FINISHED"
    assert run.data.params == {"regularization": "1.0", "max_iter": "500"}
    assert registry.load_model(settings) is not None


@pytest.mark.integration
def test_step_entry_points_run_in_order_on_one_run_folder(project_dir: Path, settings: Settings) -> None:
    """As a scheduler written in Python would chain them, through MLflow's API rather than its CLI."""
    run_dir = project_dir / "artifacts" / "run-steps"
    for step in STEPS:
        submitted = mlflow.projects.run(
            str(project_dir),
            entry_point=step,
            parameters={"run_dir": str(run_dir)},
            experiment_name=EXPERIMENT,
            env_manager="local",
        )
        assert submitted.get_status() == "FINISHED"

    runs = project_runs()
    assert [run.data.tags[ENTRY_POINT_TAG] for run in runs] == list(STEPS)
    assert {run.info.status for run in runs} == {"FINISHED"}
    assert {run.data.params["run_dir"] for run in runs} == {str(run_dir)}
    assert (run_dir / "model.joblib").is_file()
    assert (run_dir / "metrics.json").is_file()
    assert registry.load_model(settings) is not None
