"""Slow tier: generate a project as a user would, install it into a fresh virtual
environment, and run its own lint, tests and main job."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import yaml

from mlops_template.catalog import TEMPLATE_ROOT

pytestmark = pytest.mark.slow

STACKS = {
    "airflow-mlflow": {"orchestration": "airflow"},
    "kubeflow-mlflow": {"orchestration": "kubeflow"},
    "local-only": {"orchestration": "none", "experiment_tracking": "none", "model_registry": "none"},
}


def _run(command: list[str], cwd: Path, env: dict[str, str], timeout: int = 1200) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result.stdout


@pytest.mark.parametrize("stack", STACKS.values(), ids=STACKS.keys())
def test_generated_project_installs_and_passes_its_own_checks(tmp_path: Path, stack: dict[str, str]) -> None:
    settings = [f"{key}={value}" for key, value in stack.items()]
    cookiecutter = [sys.executable, "-m", "cookiecutter", "--no-input", str(TEMPLATE_ROOT), "-o", str(tmp_path)]
    _run([*cookiecutter, *settings], cwd=tmp_path, env=dict(os.environ))
    project = tmp_path / "iris-classifier"

    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    bin_dir = environment / "bin"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "VIRTUAL_ENV": str(environment)}
    env.pop("PYTHONPATH", None)
    extras = ",".join(["dev"] + ([stack["orchestration"]] if stack["orchestration"] != "none" else []))
    _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "-e", f".[{extras}]"], cwd=project, env=env)

    _run(["make", "lint"], cwd=project, env=env)
    output = _run(["make", "test"], cwd=project, env=env)
    assert " passed" in output and " failed" not in output and " skipped" not in output

    trained = _run(["make", "train"], cwd=project, env=env)
    assert "accuracy=" in trained
    if stack["orchestration"] == "kubeflow":
        _run(["make", "pipeline"], cwd=project, env=env)
        spec = yaml.safe_load((project / "pipeline.yaml").read_text())
        assert set(spec["root"]["dag"]["tasks"]) == {"ingest", "split", "train", "evaluate", "register"}


def test_switching_orchestrator_by_update_keeps_edits_and_the_project_still_passes(tmp_path: Path) -> None:
    """Issue #3's acceptance: an Airflow project with three edits and one deleted file moves to Kubeflow."""
    cli = [sys.executable, "-m", "mlops_template"]
    _run([*cli, "new", "--no-input", "-o", str(tmp_path)], cwd=tmp_path, env=dict(os.environ))
    project = tmp_path / "iris-classifier"
    git_env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t"}
    git_env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    _run(["git", "init", "-q", "-b", "main"], cwd=project, env=git_env)
    _run(["git", "add", "-A"], cwd=project, env=git_env)
    _run(["git", "commit", "-qm", "generated"], cwd=project, env=git_env)

    makefile, readme, model = project / "Makefile", project / "README.md", project / "src/iris_classifier/model.py"
    makefile.write_text(makefile.read_text().replace("## Run the test suite", "## Run the test suite (team rule)"))
    readme.write_text(readme.read_text() + "\n## Team notes\n\nOn-call rota: see the wiki.\n")
    model.write_text(model.read_text().replace("max_iter: int = 500", "max_iter: int = 700"))
    (project / ".env.example").unlink()
    _run(["git", "commit", "-qam", "team edits"], cwd=project, env=git_env)

    _run([*cli, "update", str(project), "--no-input", "--set", "orchestration=kubeflow"], cwd=project, env=git_env)
    assert "(team rule)" in makefile.read_text()
    assert "## Team notes" in readme.read_text()
    assert "max_iter: int = 700" in model.read_text()
    assert not (project / ".env.example").exists()
    assert not (project / "dags").exists() and not (project / "tests/test_airflow_dag.py").exists()
    assert (project / "src/iris_classifier/kubeflow_pipeline.py").is_file()

    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    env = {**os.environ, "PATH": f"{environment / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    _run([str(environment / "bin/python"), "-m", "pip", "install", "-q", "-e", ".[dev,kubeflow]"], cwd=project, env=env)
    _run(["make", "lint"], cwd=project, env=env)
    output = _run(["make", "test"], cwd=project, env=env)
    assert "tests/test_kubeflow_pipeline.py .." in output and " failed" not in output
