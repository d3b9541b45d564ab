"""Slow tier: generate projects as a user would, install each into its own virtual
environment with uv (one shared download cache), and run the project's own lint,
full tests (real servers and orchestrator runs included) and main job."""

from __future__ import annotations

import fcntl
import os
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from mlops_template.catalog import TEMPLATE_ROOT
from tests.helpers import CATALOG, stack_id, tool, tool_covering_stacks
from tests.steps import Steps

pytestmark = pytest.mark.slow

# One cache for every stack: a package downloaded for one stack is reused by all.
UV_CACHE = Path(os.environ.get("UV_CACHE_DIR", Path.home() / ".cache" / "uv"))


def _to_stderr(line: str) -> None:
    os.write(2, f"{line}\n".encode())


@pytest.fixture
def steps(request: pytest.FixtureRequest) -> Steps:
    """Runs the test's commands, each announced with the stack's name as it starts.

    Under pytest-xdist (``make test`` runs the slow tier on two workers with ``-s``)
    a worker's terminal reporter is not shown, but its standard error is.
    """
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    callspec = getattr(request.node, "callspec", None)
    name = callspec.id if callspec else request.node.name
    if "PYTEST_XDIST_WORKER" in os.environ:
        return Steps(name, _to_stderr)
    return Steps(name, reporter.write_line if reporter else lambda line: None)


def _generate(steps: Steps, tmp_path: Path, answers: dict[str, str]) -> Path:
    settings = [f"{key}={value}" for key, value in answers.items()]
    cookiecutter = [sys.executable, "-m", "cookiecutter", "--no-input", str(TEMPLATE_ROOT), "-o", str(tmp_path)]
    steps.run([*cookiecutter, *settings], cwd=tmp_path, env=dict(os.environ))
    return tmp_path / "iris-classifier"


def _environment(steps: Steps, tmp_path: Path, project: Path, installer: str) -> dict[str, str]:
    """A fresh venv with the project and every extra installed by ``installer`` (uv or pip)."""
    venv = tmp_path / "venv"
    env = {**os.environ, "VIRTUAL_ENV": str(venv), "UV_CACHE_DIR": str(UV_CACHE)}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"
    env.pop("PYTHONPATH", None)
    if installer == "uv":
        # What `make install` runs when uv is present, into a venv outside the project.
        env["UV_PROJECT_ENVIRONMENT"] = str(venv)
        steps.run([tool("uv"), "sync", "-q", "--all-extras", "--python", sys.executable], cwd=project, env=env)
    else:
        extras = ",".join(["dev", *sorted(_extras(project))])
        steps.run([sys.executable, "-m", "venv", str(venv)], cwd=project, env=env)
        steps.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "-e", f".[{extras}]"], cwd=project, env=env
        )
    return env


def _extras(project: Path) -> set[str]:
    extras = tomllib.loads((project / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    return set(extras) - {"dev"}


def _passes_its_tests(steps: Steps, project: Path, env: dict[str, str], quiet: bool = False) -> None:
    """``quiet``: no warning either, the third-party ones being filtered in its pyproject.toml."""
    output = steps.run(["make", "test-all"], cwd=project, env=env)
    assert " passed" in output and " failed" not in output and " skipped" not in output
    if quiet:
        assert " warning" not in output.strip().splitlines()[-1], output[-4000:]
    # A stack whose tools stand in for cloud services locally trains against them, as its README says.
    if "\nservices-up:" not in (project / "Makefile").read_text():
        assert "accuracy=" in steps.run(["make", "train"], cwd=project, env=env)
        return
    with _local_services_ports():
        steps.run(["make", "services-up"], cwd=project, env=env)
        try:
            assert "accuracy=" in steps.run(["make", "train"], cwd=project, env=env)
        finally:
            steps.run(["make", "services-down"], cwd=project, env=env)


@contextmanager
def _local_services_ports() -> Iterator[None]:
    """One stack at a time across xdist workers: ``make services-up`` binds the same fixed ports in every project.

    Only this part is exclusive; the projects' own tests pick free ports, so the
    stacks themselves run on whichever worker is free.
    """
    with (Path(tempfile.gettempdir()) / "mlops-template-local-services.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _passes_its_own_checks(steps: Steps, project: Path, env: dict[str, str], quiet: bool = False) -> None:
    steps.run(["git", "init", "-q"], cwd=project, env=env)
    steps.run(["git", "add", "-A"], cwd=project, env=env)
    steps.run(
        ["pre-commit", "run", "--all-files"], cwd=project, env={**env, "PRE_COMMIT_HOME": str(project.parent / "pc")}
    )
    steps.run(["make", "lint"], cwd=project, env=env)
    _passes_its_tests(steps, project, env, quiet)
    for target in ("help", "pipeline"):
        if f"\n{target}:" in (project / "Makefile").read_text():
            steps.run(["make", target], cwd=project, env=env)


def _stacks(stacks: list[dict[str, str]]) -> list[object]:
    return [pytest.param(answers, id=stack_id(answers)) for answers in stacks]


# The retrain loop through a cloud queue: a request on Amazon SQS (the tests' real moto server on 127.0.0.1),
# consumed by the listener and launched on the local runner and on Prefect (their stacks leave the broker
# out otherwise) and, in the pip run, on Airflow, the default orchestrator.
RETRAIN_QUEUE = {"message_broker": "amazon_sqs"}
LAUNCHED_FROM_THE_QUEUE = ("none", "prefect")


def _queued(stack: dict[str, str]) -> dict[str, str]:
    unqueued = stack["message_broker"] == "none" and stack["orchestration"] in LAUNCHED_FROM_THE_QUEUE
    return stack | RETRAIN_QUEUE if unqueued else stack


# Every selectable tool in at least one stack; the pairs are baked and validated in the fast tier.
STACKS = [_queued(stack) for stack in tool_covering_stacks(CATALOG)]
# pip as well, for the default stack (with the queue): the uv runs above install every tool, so one pip install
# proves the pip path (`pip install -e ".[extras]"`, pip's resolver) without repeating installs that prove nothing new.
PIP_STACKS = [STACKS[0] | RETRAIN_QUEUE]


@pytest.mark.parametrize("answers", _stacks(STACKS))
def test_generated_project_installs_with_uv_and_passes_its_own_checks(
    steps: Steps, tmp_path: Path, answers: dict[str, str]
) -> None:
    project = _generate(steps, tmp_path, answers)
    # The default stack's test run shows no warning: the known third-party ones are filtered.
    quiet = answers == STACKS[0]
    _passes_its_own_checks(steps, project, _environment(steps, tmp_path, project, "uv"), quiet)


@pytest.mark.parametrize("answers", _stacks(PIP_STACKS))
def test_generated_project_installs_with_pip_and_passes_its_tests(
    steps: Steps, tmp_path: Path, answers: dict[str, str]
) -> None:
    """Lint does not depend on the installer: the uv runs lint the same files."""
    project = _generate(steps, tmp_path, answers)
    _passes_its_tests(steps, project, _environment(steps, tmp_path, project, "pip"))


def test_switching_orchestrator_by_update_keeps_edits_and_the_project_still_passes(
    steps: Steps, tmp_path: Path
) -> None:
    """An Airflow project with three edits and one deleted file moves to Kubeflow, then passes its checks."""
    cli = [sys.executable, "-m", "mlops_template"]
    steps.run([*cli, "new", "--no-input", "-o", str(tmp_path)], cwd=tmp_path, env=dict(os.environ))
    project = tmp_path / "iris-classifier"
    git_env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t"}
    git_env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    steps.run(["git", "init", "-q", "-b", "main"], cwd=project, env=git_env)
    steps.run(["git", "add", "-A"], cwd=project, env=git_env)
    steps.run(["git", "commit", "-qm", "generated"], cwd=project, env=git_env)

    makefile, readme, model = project / "Makefile", project / "README.md", project / "src/iris_classifier/model.py"
    makefile.write_text(makefile.read_text().replace("## Fast tests", "## Fast tests (team rule)"))
    readme.write_text(readme.read_text() + "\n## Team notes\n\nOn-call rota: see the wiki.\n")
    model.write_text(model.read_text().replace("max_iter: int = 500", "max_iter: int = 700"))
    (project / "LICENSE").unlink()
    steps.run(["git", "commit", "-qam", "team edits"], cwd=project, env=git_env)

    steps.run([*cli, "update", str(project), "--no-input", "--set", "orchestration=kubeflow"], cwd=project, env=git_env)
    assert "(team rule)" in makefile.read_text()
    assert "## Team notes" in readme.read_text()
    assert "max_iter: int = 700" in model.read_text()
    assert not (project / "LICENSE").exists(), "a file the team deleted stays deleted"
    assert not (project / "dags").exists()
    assert not (project / "tests/orchestration/test_airflow_dag.py").exists()
    assert (project / "src/iris_classifier/kubeflow_pipeline.py").is_file()

    env = _environment(steps, tmp_path, project, "uv")
    steps.run(["make", "lint"], cwd=project, env=env)
    assert " passed" in steps.run(["make", "test"], cwd=project, env=env)
    # What the switch changed, end to end; the other integration tests, untouched by it, run in the stacks above.
    output = steps.run(["pytest", "-v", "tests/orchestration"], cwd=project, env=env)
    assert "test_kubeflow_pipeline.py::test_pipeline_runs_locally_and_publishes_the_model PASSED" in output
    assert " failed" not in output and " skipped" not in output
