"""Saved answers regenerate the same tree; cruft can create projects from the template."""

from __future__ import annotations

import filecmp
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from cookiecutter.main import cookiecutter

from mlops_template.answers import ANSWERS_FILE
from mlops_template.catalog import TEMPLATE_ROOT
from tests.helpers import git, tool, tree

STACKS = [{}, {"orchestration": "kubeflow", "experiment_tracking": "none", "model_registry": "none"}]


@pytest.mark.parametrize("answers", STACKS, ids=["default", "kubeflow-light"])
def test_replay_file_regenerates_an_identicaltree(tmp_path: Path, answers: dict[str, str]) -> None:
    first = Path(cookiecutter(str(TEMPLATE_ROOT), no_input=True, extra_context=answers, output_dir=str(tmp_path / "a")))
    replay = first / ANSWERS_FILE
    second = Path(cookiecutter(str(TEMPLATE_ROOT), replay=str(replay), output_dir=str(tmp_path / "b")))
    assert tree(first) == tree(second)


def _template_repo(root: Path) -> Path:
    """A git repository of the template as it is in this working tree (cruft only reads git repositories)."""
    repo = root / "mlops-template"
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", "*.egg-info", ".pytest_cache", ".ruff_cache", "build", "generated"
    )
    shutil.copytree(TEMPLATE_ROOT, repo, ignore=ignore)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "template")
    return repo


@pytest.fixture(scope="module")
def template_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _template_repo(tmp_path_factory.mktemp("template"))


@pytest.mark.parametrize("form", ["path", "file-url"])
def test_cruft_create_matches_cookiecutter(tmp_path: Path, template_repo: Path, form: str) -> None:
    # A file:// URL hides the checkout from the hooks (no _repo_dir, _template is not a path):
    # they must find the clone cruft runs them from.
    template = str(template_repo) if form == "path" else template_repo.as_uri()
    subprocess.run(
        [tool("cruft"), "create", template, "--no-input", "--output-dir", str(tmp_path / "cruft")],
        check=True,
        capture_output=True,
    )
    project = tmp_path / "cruft" / "iris-classifier"
    state = json.loads((project / ".cruft.json").read_text())
    assert state["context"]["cookiecutter"]["orchestration"] == "airflow"
    (project / ".cruft.json").unlink()
    reference = Path(cookiecutter(str(TEMPLATE_ROOT), no_input=True, output_dir=str(tmp_path / "cc")))
    comparison = filecmp.dircmp(project, reference)
    assert tree(project) == tree(reference), comparison.report()


def test_cruft_update_applies_a_template_change_and_keeps_edits(tmp_path: Path) -> None:
    repo = _template_repo(tmp_path)
    subprocess.run(
        [tool("cruft"), "create", str(repo), "--no-input", "--output-dir", str(tmp_path / "out")],
        check=True,
        capture_output=True,
    )
    project = tmp_path / "out" / "iris-classifier"
    git(project, "init", "-q", "-b", "main")
    readme = project / "README.md"
    readme.write_text(readme.read_text() + "\n## Team notes\n")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "generated, then edited")

    makefile = repo / "templates" / "Makefile.jinja"
    makefile.write_text(makefile.read_text().replace("## Fast tests", "## The fast tests"))
    git(repo, "commit", "-qam", "template: clearer help")

    result = subprocess.run([tool("cruft"), "update", "-y"], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "## The fast tests" in (project / "Makefile").read_text()
    assert "## Team notes" in readme.read_text()
