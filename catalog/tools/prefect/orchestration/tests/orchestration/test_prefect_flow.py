"""The Prefect flow as Prefect sees it: its tasks and parameters, ``prefect.yaml`` through the loader of
``prefect deploy``, and runs on a temporary Prefect server (a passing model is published, a failing gate is final).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prefect import Flow
from prefect.cli.deploy._config import _load_deploy_configs_and_actions
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.client.schemas.sorting import TaskRunSort
from prefect.exceptions import ParameterTypeError
from prefect.flows import load_flow_from_entrypoint
from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_ANALYTICS_ENABLED, temporary_settings
from prefect.states import State
from prefect.testing.utilities import prefect_test_harness
from prefect.utilities.importtools import import_object
from rich.console import Console

from {{ cookiecutter.package_name }} import registry
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.model import ModelQualityError
from {{ cookiecutter.package_name }}.prefect_flow import FLOW_NAME, training_flow

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STEPS = ["ingest", "split", "train", "evaluate", "register"]
WORK_POOL = "{{ cookiecutter.project_slug }}-process"


# A temporary server takes over 20 s (Prefect's default wait) to start on a busy machine.
SERVER_STARTUP_TIMEOUT_S = 120


@pytest.fixture(scope="module")
def prefect_server() -> Iterator[None]:
    """One temporary Prefect server, on SQLite in a temporary folder, for the module's flow runs."""
    no_analytics = {PREFECT_SERVER_ANALYTICS_ENABLED: False}
    with temporary_settings(no_analytics), prefect_test_harness(server_startup_timeout=SERVER_STARTUP_TIMEOUT_S):
        yield


def test_make_flow_run_waits_for_the_temporary_server_as_long_as_the_tests(tmp_path: Path) -> None:
    """``make flow-run`` runs the flow command with the Prefect settings the target sets, as Prefect reads them."""
    flow_command = tmp_path / "{{ cookiecutter.project_slug }}-flow"
    flow_command.write_text(
        f"#!{sys.executable}\n"
        "from prefect.settings import get_current_settings\n"
        "print(get_current_settings().server.ephemeral.startup_timeout_seconds)\n"
    )
    flow_command.chmod(0o755)
    # The stand-in comes first; make and the rest of the target's commands as the venv finds them.
    scripts = os.pathsep.join([str(tmp_path), str(Path(sys.executable).parent), os.environ["PATH"]])
    env = {**os.environ, "PATH": scripts}
    result = subprocess.run(
        # Under another make (`make test-all`), make announces directories unless told not to.
        ["make", "-s", "--no-print-directory", "flow-run"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(result.stdout.split()[-1]) >= SERVER_STARTUP_TIMEOUT_S


def _task_runs(state: State[Any]) -> dict[str, tuple[str, int]]:
    """How each task of the flow run that ended in ``state`` ended, and how many times it ran, by task name."""
    flow_run_id = state.state_details.flow_run_id
    assert flow_run_id is not None
    with get_client(sync_client=True) as client:
        task_runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])),
            sort=TaskRunSort.EXPECTED_START_TIME_ASC,
            limit=50,
        )
    ended = {}
    for run in task_runs:
        assert run.state_type is not None
        ended[run.name.rsplit("-", 1)[0]] = (run.state_type.value, run.run_count)
    return ended


def test_flow_has_one_task_per_step_and_the_gate_is_never_retried() -> None:
    from {{ cookiecutter.package_name }} import prefect_flow

    tasks = {name: getattr(prefect_flow, name) for name in STEPS}
    assert {name: task.name for name, task in tasks.items()} == {name: name for name in STEPS}
    assert tasks["evaluate"].retries == 0, "a failed quality gate is final"
    assert all(task.retries > 0 for name, task in tasks.items() if name != "evaluate")
    assert training_flow.name == FLOW_NAME


def test_flow_parameters_are_checked_before_a_run() -> None:
    schema = training_flow.parameters
    assert set(schema.properties) == {"regularization", "max_iter"}
    assert training_flow.validate_parameters({"regularization": "0.5", "max_iter": "300"}) == {
        "regularization": 0.5,
        "max_iter": 300,
    }
    for invalid in ({"regularization": 0}, {"max_iter": 0}, {"max_iter": "many"}):
        with pytest.raises(ParameterTypeError, match="invalid parameters"):
            training_flow.validate_parameters(invalid)


def test_prefect_yaml_loads_as_prefect_deploy_reads_it() -> None:
    """The loader of ``prefect deploy``: the entrypoint is this flow, the parameters fit it, the pull step exists."""
    console = Console(record=True)
    deployments, actions = _load_deploy_configs_and_actions(PROJECT_ROOT / "prefect.yaml", console=console)
    assert console.export_text() == "", "prefect deploy would skip an invalid prefect.yaml"
    [deployment] = deployments
    assert deployment["name"] == "training"
    assert deployment["work_pool"]["name"] == WORK_POOL
    assert deployment["concurrency_limit"]["limit"] == 1

    entrypoint = deployment["entrypoint"]
    assert (PROJECT_ROOT / entrypoint.split(":")[0]).is_file()
    flow: Flow[..., Any] = load_flow_from_entrypoint(str(PROJECT_ROOT / entrypoint))
    assert flow.name == FLOW_NAME
    assert flow.validate_parameters(deployment["parameters"]) == deployment["parameters"]
    assert set(deployment["parameters"]) == set(flow.parameters.properties)

    [pull_step] = actions["pull"]
    [(step_function, inputs)] = pull_step.items()
    assert callable(import_object(step_function))
    assert step_function == "prefect.deployments.steps.set_working_directory"
    assert inputs == {"directory": "."}
    assert not actions["build"]
    assert not actions["push"]


@pytest.mark.integration
@pytest.mark.usefixtures("prefect_server")
def test_flow_runs_to_completion_and_publishes_the_model(settings: Settings, workdir: Path) -> None:
    state = training_flow(regularization=0.5, max_iter=300, return_state=True)
    assert state.is_completed(), state.message
    assert state.result() == registry.version_uri("1", settings), "the URI of the version it published"
    assert registry.load_model(settings) is not None
    assert _task_runs(state) == {name: ("COMPLETED", 1) for name in STEPS}
    [run_dir] = (workdir / "artifacts").iterdir()
    assert run_dir.name == f"prefect-{state.state_details.flow_run_id}"
    assert {path.name for path in run_dir.iterdir()} >= {"dataset.csv", "model.joblib", "metrics.json"}


@pytest.mark.integration
@pytest.mark.usefixtures("prefect_server")
def test_a_failed_quality_gate_fails_the_flow_once_and_publishes_nothing(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIN_ACCURACY", "1.01")
    state = training_flow(return_state=True)
    assert state.is_failed()
    with pytest.raises(ModelQualityError):
        state.result()
    runs = _task_runs(state)
    assert runs["evaluate"] == ("FAILED", 1), "the gate ran once, without retries"
    assert "register" not in runs
    with pytest.raises(registry.ModelNotFoundError):
        registry.load_model(settings)


@pytest.mark.integration
@pytest.mark.usefixtures("prefect_server")
def test_prefect_yaml_deploys_and_a_process_worker_runs_it_in_its_folder(settings: Settings, workdir: Path) -> None:
    """``make flow-deploy`` then ``make flow-worker``, in a copy of the project that shares its code."""
    (workdir / "src").symlink_to(PROJECT_ROOT / "src", target_is_directory=True)
    (workdir / "prefect.yaml").write_bytes((PROJECT_ROOT / "prefect.yaml").read_bytes())
    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}

    def prefect(*args: str) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "prefect", *args], cwd=workdir, env=env, capture_output=True, text=True, timeout=600
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    prefect("work-pool", "create", "--type", "process", "--overwrite", WORK_POOL)
    prefect("--no-prompt", "deploy", "--all")
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name(f"{FLOW_NAME}/training")
        flow_run = client.create_flow_run_from_deployment(deployment.id, parameters={"max_iter": 300})
        prefect("worker", "start", "--pool", WORK_POOL, "--type", "process", "--run-once")
        state = client.read_flow_run(flow_run.id).state
    assert state is not None
    assert state.is_completed(), state.message
    assert registry.load_model(settings) is not None
    # The pull step moved the run into the worker's folder: relative settings resolved there.
    assert (workdir / "artifacts" / f"prefect-{flow_run.id}" / "model.joblib").is_file()
