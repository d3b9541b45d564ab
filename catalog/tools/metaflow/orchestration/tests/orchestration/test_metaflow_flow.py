"""The flow as Metaflow sees it: its graph is the five steps in order, and ``run`` trains and publishes a model.

Every Metaflow command here runs with a throwaway configuration: local metadata
and datastore under the test's folder, no ``~/.metaflowconfig``, no service.
"""

from __future__ import annotations

import itertools
import os
import runpy
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from metaflow import Flow, FlowSpec, Parameter, Run, default_metadata, default_namespace, metadata, namespace

from {{ cookiecutter.package_name }} import registry
from {{ cookiecutter.package_name }}.config import Settings

FLOW_FILE = Path(__file__).resolve().parents[2] / "flows" / "training_flow.py"
FLOW_NAME = "{{ cookiecutter.package_name.title().replace('_', '') }}TrainingFlow"
STEPS = ["start", "ingest", "split", "train", "evaluate", "register", "end"]
# Metaflow refuses to run, or to pick a default namespace, with no user name (root in CI containers).
USER = "pytest"
HEAVY_MODULES = ("sklearn", "pandas", "joblib", "{{ cookiecutter.package_name }}")


def _metaflow(workdir: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    """``python flows/training_flow.py ARGS`` with a Metaflow configuration of its own, in ``workdir``."""
    inherited = {name: value for name, value in os.environ.items() if not name.startswith("METAFLOW_")}
    env = {
        **inherited,
        "METAFLOW_HOME": str(workdir / "metaflow-home"),  # no user configuration file
        "METAFLOW_DEFAULT_METADATA": "local",
        "METAFLOW_DEFAULT_DATASTORE": "local",
        "METAFLOW_DATASTORE_SYSROOT_LOCAL": str(workdir),
        "USERNAME": USER,
        **extra_env,
    }
    return subprocess.run(
        [sys.executable, str(FLOW_FILE), *args], cwd=workdir, env=env, capture_output=True, text=True, timeout=900
    )


@pytest.fixture
def local_runs(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point Metaflow's client API at the runs recorded under ``workdir``, whoever ran them."""
    monkeypatch.setenv("USERNAME", USER)
    (workdir / ".metaflow").mkdir(exist_ok=True)  # the local provider only accepts a store that exists
    metadata(f"local@{workdir}")
    namespace(None)
    yield
    default_namespace()
    default_metadata()


def _latest_run() -> Run:
    run = Flow(FLOW_NAME).latest_run
    assert run is not None
    return run


def _step_names(run: Run) -> list[str]:
    """The steps the run reached, first to last (the client lists them newest first)."""
    return [step.path_components[-1] for step in reversed(list(run.steps()))]


def _flow_class() -> type[FlowSpec]:
    flow: type[FlowSpec] = runpy.run_path(str(FLOW_FILE))[FLOW_NAME]
    return flow


def test_show_lists_the_five_steps_in_order(workdir: Path) -> None:
    result = _metaflow(workdir, "show")
    assert result.returncode == 0, result.stderr[-3000:]
    steps: list[str] = []
    successors: dict[str, list[str]] = {}
    for line in result.stdout.splitlines():
        if line.startswith("Step "):
            steps.append(line.removeprefix("Step ").strip())
        elif line.strip().startswith("=>"):
            successors[steps[-1]] = [name.strip() for name in line.strip().removeprefix("=>").split(",")]
    assert steps == STEPS
    assert successors == {step: [after] for step, after in itertools.pairwise(STEPS)}


def test_every_step_but_the_quality_gate_retries() -> None:
    flow = _flow_class()
    retries: dict[str, int] = {}
    for name in STEPS:
        for decorator in getattr(flow, name).decorators:
            if decorator.name == "retry":
                retries[name] = int(decorator.attributes["times"])
    assert retries["evaluate"] == 0, "a failed quality gate is final, even under --with retry"
    assert all(retries[name] > 0 for name in ("ingest", "split", "train", "register"))


def test_hyper_parameters_are_flow_parameters() -> None:
    flow = _flow_class()
    parameters: dict[str, Any] = {name: value for name, value in vars(flow).items() if isinstance(value, Parameter)}
    assert set(parameters) == {"regularization", "max_iter"}


def test_parsing_the_flow_imports_no_ml_library() -> None:
    """``show``, ``check`` and deployments parse the flow; only the steps need the project."""
    probe = (
        "import runpy, sys; runpy.run_path(sys.argv[1]);"
        f"print(','.join(m for m in {HEAVY_MODULES!r} if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe, str(FLOW_FILE)], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


@pytest.mark.integration
@pytest.mark.usefixtures("local_runs")
def test_flow_runs_to_success_and_publishes_the_model(workdir: Path, settings: Settings) -> None:
    result = _metaflow(workdir, "run", "--regularization", "0.5", "--max_iter", "300")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    run = _latest_run()
    assert run.successful
    assert _step_names(run) == STEPS
    data = run.data  # the artifacts of the end step, which has them all
    assert data is not None
    assert (data.regularization, data.max_iter) == (0.5, 300)
    assert data.metrics["accuracy"] >= settings.min_accuracy
    assert data.model_uri == registry.version_uri("1", settings), "the URI of the version it published"
    run_dir = Path(data.run_dir)
    assert run_dir.parent == settings.work_dir
    assert (workdir / run_dir / "model.joblib").is_file()
    assert registry.load_model(settings) is not None


@pytest.mark.integration
@pytest.mark.usefixtures("local_runs")
def test_a_model_below_the_gate_fails_the_run_once_and_is_not_published(workdir: Path, settings: Settings) -> None:
    result = _metaflow(workdir, "run", MIN_ACCURACY="1.01")
    assert result.returncode != 0
    assert "ModelQualityError" in result.stdout + result.stderr

    run = _latest_run()
    assert not run.successful
    evaluate = run["evaluate"].task
    assert evaluate is not None
    assert not evaluate.successful
    assert evaluate.current_attempt == 0, "the quality gate must not be retried"
    assert _step_names(run) == STEPS[: STEPS.index("evaluate") + 1]
    with pytest.raises(registry.ModelNotFoundError):
        registry.load_model(settings)
