"""`mlops-template update` and `check` against a real template history, on git projects with real edits.

The template repository is a copy of this working tree's template with a second
commit that changes a shared template, a tool file and adds a question; projects are
generated at either commit by cookiecutter itself, as a user would.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pexpect
import pytest
from cookiecutter.main import cookiecutter

from mlops_template import cookiecutter_json, update
from mlops_template.answers import ANSWERS_FILE
from mlops_template.catalog import Catalog
from mlops_template.cli import main
from tests.helpers import git, template_repository, tool, tree

PACKAGE = "src/iris_classifier"
DAG = "dags/iris_classifier_training.py"
OWNER_LINE = "# Owned by {{ cookiecutter.team }}: ask them before changing shared targets."
LINT_HELP = "lint:  ## Check style, formatting and types"
TEAM_QUESTION = """  - key: team
    prompt: Team that owns the project
    default: ml-platform
"""


@dataclass(frozen=True)
class History:
    repo: Path
    first: str
    second: str
    at_first: Path
    """A pristine project generated at the first commit (copy it before changing it)."""
    at_second: Path


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def improve_template(repo: Path) -> None:
    """The second commit: a shared template gains a line and a clearer help, a tool file changes, a new question."""
    makefile = repo / "templates" / "Makefile.jinja"
    replace(makefile, ".DEFAULT_GOAL := help\n", f".DEFAULT_GOAL := help\n{OWNER_LINE}\n")
    replace(makefile, LINT_HELP, f"{LINT_HELP} (ruff, mypy)")
    replace(
        repo / "catalog" / "tools" / "airflow" / "orchestration" / "dags" / "{{cookiecutter.package_name}}_training.py",
        '"retries": 2,',
        '"retries": 3,',
    )
    replace(
        repo / "catalog" / "project.yaml",
        "\n# pyproject.toml, .env.example",
        f"{TEAM_QUESTION}\n# pyproject.toml, .env.example",
    )
    assert cookiecutter_json.main(["--root", str(repo)]) == 0
    git(repo, "commit", "-qam", "template: an owner line, clearer lint help, one more retry")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    root = tmp_path_factory.mktemp("history")
    repo = template_repository(root / "mlops-template")
    first = git(repo, "rev-parse", "HEAD").strip()
    at_first = Path(cookiecutter(str(repo), no_input=True, output_dir=str(root / "first")))
    improve_template(repo)
    second = git(repo, "rev-parse", "HEAD").strip()
    at_second = Path(cookiecutter(str(repo), no_input=True, output_dir=str(root / "second")))
    return History(repo, first, second, at_first, at_second)


def checkout(pristine: Path, tmp_path: Path) -> Path:
    """A copy of a generated project, committed to git as a user would."""
    project = tmp_path / pristine.name
    shutil.copytree(pristine, project)
    git(project, "init", "-q", "-b", "main")
    commit(project)
    return project


@pytest.fixture
def old_project(history: History, tmp_path: Path) -> Path:
    return checkout(history.at_first, tmp_path / "old")


@pytest.fixture
def project(history: History, tmp_path: Path) -> Path:
    """A project at the template's newest commit."""
    return checkout(history.at_second, tmp_path / "new")


def commit(project: Path) -> None:
    git(project, "add", "-A")
    git(project, "commit", "-qm", "my edits")


def run_update(history: History, project: Path, *args: str) -> int:
    return main(["update", str(project), "--no-input", "--template", str(history.repo), *args])


def run_check(history: History, project: Path) -> int:
    # The top-level option sets the template this command runs from: the default repository.
    return main(["--template", str(history.repo), "check", str(project)])


def saved(project: Path) -> dict[str, Any]:
    return dict(json.loads((project / ANSWERS_FILE).read_text()))


def listed(out: str) -> dict[str, str]:
    """The report's lines as path -> action."""
    rows = (line.strip().removeprefix("would ").split(maxsplit=2) for line in out.splitlines() if line.endswith(")"))
    return {path: action for action, path, _ in rows}


def test_generation_records_the_template_commit_and_location(history: History) -> None:
    assert saved(history.at_first)["_template_commit"] == history.first
    assert saved(history.at_first)["_template_location"] == str(history.repo)
    assert saved(history.at_second)["_template_commit"] == history.second


def test_update_brings_the_template_changes_and_keeps_edits(
    history: History, old_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replace(old_project / PACKAGE / "model.py", "max_iter: int = 500", "max_iter: int = 800")
    replace(old_project / DAG, "timedelta(minutes=30)", "timedelta(minutes=45)")
    (old_project / "README.md").write_text((old_project / "README.md").read_text() + "\n## Team notes\n")
    commit(old_project)

    assert run_update(history, old_project) == 0
    out = capsys.readouterr().out

    makefile = (old_project / "Makefile").read_text()
    assert "# Owned by ml-platform: ask them before changing shared targets.\n" in makefile
    assert f"{LINT_HELP} (ruff, mypy)" in makefile
    dag = (old_project / DAG).read_text()
    assert '"retries": 3,' in dag and "timedelta(minutes=45)" in dag, "the template's and the user's DAG edits merge"
    assert "max_iter: int = 800" in (old_project / PACKAGE / "model.py").read_text()
    assert "## Team notes" in (old_project / "README.md").read_text()
    assert "new question team: answered with the default 'ml-platform'" in out
    assert listed(out) == {"Makefile": "update", DAG: "merge", ANSWERS_FILE: "update"}
    record = saved(old_project)
    assert record["cookiecutter"]["team"] == "ml-platform"
    assert record["_template_commit"] == history.second
    assert record["_template_location"] == str(history.repo)


def test_a_gained_question_is_asked_through_the_given_function(history: History, old_project: Path) -> None:
    asked: list[list[str]] = []

    def ask(catalog: Catalog, keys: list[str], known: dict[str, Any]) -> dict[str, Any]:
        # Stands in for the terminal prompt (prompt.ask_new_questions), which needs a TTY.
        asked.append(keys)
        return {"team": "fraud-squad"}

    assert update.run_update(str(history.repo), old_project, {}, dry_run=False, ask=ask) == 0
    assert asked == [["team"]]
    assert "# Owned by fraud-squad:" in (old_project / "Makefile").read_text()
    assert saved(old_project)["cookiecutter"]["team"] == "fraud-squad"


def test_dry_run_lists_exactly_the_template_changes(
    history: History, old_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(old_project)
    assert run_update(history, old_project, "--dry-run") == 0
    assert listed(capsys.readouterr().out) == {"Makefile": "update", DAG: "update", ANSWERS_FILE: "update"}
    assert tree(old_project) == before


def test_an_edit_overlapping_a_template_change_is_a_conflict(
    history: History, old_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replace(old_project / "Makefile", LINT_HELP, f"{LINT_HELP}, strictly")
    commit(old_project)
    assert run_update(history, old_project) == update.EXIT_CONFLICTS
    makefile = (old_project / "Makefile").read_text()
    assert "<<<<<<< your version" in makefile and ">>>>>>> updated template" in makefile
    assert f"{LINT_HELP}, strictly" in makefile and f"{LINT_HELP} (ruff, mypy)" in makefile
    assert "# Owned by ml-platform:" in makefile, "the non-overlapping template change still arrives"
    assert "1 conflict(s) to resolve by hand: Makefile" in capsys.readouterr().err


def test_check_fails_behind_the_template_and_passes_after_the_update(
    history: History, old_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(old_project)
    assert run_check(history, old_project) == update.EXIT_OUTDATED
    out = capsys.readouterr().out
    assert f"at template revision {history.first[:12]}, the template at {history.second[:12]}" in out
    assert listed(out.split("would change:\n", 1)[1]) == {"Makefile": "update", DAG: "update", ANSWERS_FILE: "update"}
    assert tree(old_project) == before, "check writes nothing"

    assert run_update(history, old_project) == 0
    commit(old_project)
    capsys.readouterr()
    assert run_check(history, old_project) == 0
    assert f"up to date: the project is at template revision {history.second[:12]}" in capsys.readouterr().out


def test_template_change_and_answer_change_arrive_in_one_merge(history: History, old_project: Path) -> None:
    assert run_update(history, old_project, "--set", "orchestration=prefect") == 0
    makefile = (old_project / "Makefile").read_text()
    assert "# Owned by ml-platform:" in makefile, "the template change is not reverted"
    assert "flow-run:  ## Run the Prefect flow once" in makefile
    assert (old_project / PACKAGE / "prefect_flow.py").is_file()
    assert not (old_project / "dags").exists()


def test_to_names_the_target_revision(history: History, old_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_update(history, old_project, "--to", history.first, "--set", "orchestration=none") == 0
    assert "# Owned by" not in (old_project / "Makefile").read_text()
    assert not (old_project / "dags").exists()
    assert saved(old_project)["_template_commit"] == history.first
    commit(old_project)
    assert run_update(history, old_project, "--to", "no-such-tag") == 2
    assert "template revision no-such-tag (--to) is not in the repository" in capsys.readouterr().err


def test_a_recorded_revision_missing_from_the_repository_is_named(
    old_project: Path, history: History, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other-template"
    other.mkdir()
    git(other, "init", "-q")
    git(other, "commit", "-q", "--allow-empty", "-m", "unrelated")
    before = tree(old_project)
    assert main(["update", str(old_project), "--no-input", "--template", str(other)]) == 2
    err = capsys.readouterr().err
    assert f"template revision {history.first} (recorded in {ANSWERS_FILE}) is not in the repository {other}" in err
    assert "Traceback" not in err
    assert tree(old_project) == before


def test_an_installed_copy_without_history_says_how_to_point_at_the_repository(
    old_project: Path, history: History, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    installed = tmp_path / "site-packages" / "mlops_template" / "template"
    installed.mkdir(parents=True)
    assert main(["--template", str(installed), "update", str(old_project), "--no-input"]) == 2
    err = capsys.readouterr().err
    assert f"{installed} is not a git repository of the template" in err
    assert (
        f"pass --template PATH-OR-URL of the template's git repository (the project was generated from {history.repo})"
        in err
    )


def test_a_project_without_a_recorded_revision_needs_from(
    history: History, old_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = saved(old_project)
    del record["_template_commit"]
    (old_project / ANSWERS_FILE).write_text(json.dumps(record, indent=2) + "\n")
    commit(old_project)
    assert run_update(history, old_project) == 2
    assert "records no template revision (template version" in capsys.readouterr().err
    assert main(["check", str(old_project), "--template", str(history.repo), "--from", history.first]) == 1
    assert run_update(history, old_project, "--from", history.first) == 0
    assert "# Owned by ml-platform:" in (old_project / "Makefile").read_text()


def test_a_committed_lock_is_flagged_when_dependencies_change(
    history: History, project: Path, old_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in (project, old_project):
        (path / "uv.lock").write_text("version = 1\n")  # its content is uv's business; the update only sees it exists
        commit(path)
    assert run_update(history, old_project) == 0
    assert "make lock" not in capsys.readouterr().out, "the template change leaves pyproject.toml as it was"
    assert run_update(history, project, "--set", "orchestration=kubeflow") == 0
    out = capsys.readouterr().out
    assert "pyproject.toml changed and uv.lock still pins the old dependencies: refresh it with `make lock`" in out


def test_a_kept_file_of_a_dropped_tool_keeps_its_ignore_lines(history: History, project: Path) -> None:
    assert run_update(history, project, "--set", "orchestration=kubeflow") == 0
    assert "pipeline.yaml" in (project / ".gitignore").read_text().splitlines()
    pipeline = project / PACKAGE / "kubeflow_pipeline.py"
    pipeline.write_text(pipeline.read_text() + "\n# Team: compiled nightly.\n")
    commit(project)
    (project / "pipeline.yaml").write_text("# compiled by the kept pipeline\n")

    assert run_update(history, project, "--set", "orchestration=prefect") == 0
    assert pipeline.is_file()
    assert "pipeline.yaml" in (project / ".gitignore").read_text().splitlines()
    assert git(project, "status", "--porcelain", "--untracked-files=all", "pipeline.yaml") == ""


def test_switching_orchestrator_keeps_edits_and_skips_deleted_files(
    history: History, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replace(project / "Makefile", "test:  ## Fast tests", "test:  ## Fast tests, stopping early")
    (project / "README.md").write_text((project / "README.md").read_text() + "\n## Team notes\n\nOn-call: wiki.\n")
    replace(project / PACKAGE / "model.py", "max_iter: int = 500", "max_iter: int = 800")
    (project / ".gitignore").unlink()
    replace(project / "tests" / "orchestration" / "test_airflow_dag.py", '"""The DAG', '"""Team-owned: the DAG')
    commit(project)

    assert run_update(history, project, "--set", "orchestration=kubeflow") == 0
    out = capsys.readouterr().out

    assert "stopping early" in (project / "Makefile").read_text()
    assert "pipeline:  ## Compile the Kubeflow pipeline" in (project / "Makefile").read_text()
    assert "## Team notes" in (project / "README.md").read_text()
    assert "## Kubeflow Pipelines" in (project / "README.md").read_text()
    assert "max_iter: int = 800" in (project / PACKAGE / "model.py").read_text()
    assert not (project / ".gitignore").exists(), "the template changed it, but the team had deleted it"
    assert "skip" in out and ".gitignore" in out
    assert not (project / "dags").exists()
    assert (project / "tests" / "orchestration" / "test_airflow_dag.py").exists(), (
        "a modified file of a dropped tool is kept"
    )
    assert "keep" in out and "test_airflow_dag.py" in out
    assert (project / PACKAGE / "kubeflow_pipeline.py").is_file()
    assert (project / "tests" / "orchestration" / "test_kubeflow_pipeline.py").is_file()
    assert saved(project)["cookiecutter"]["orchestration"] == "kubeflow"


def test_overlapping_answer_change_is_left_as_a_conflict(
    history: History, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replace(project / "Makefile", "EXTRAS := dev,airflow", "EXTRAS := dev,airflow,docs")
    commit(project)
    assert run_update(history, project, "--set", "orchestration=kubeflow") == update.EXIT_CONFLICTS
    makefile = (project / "Makefile").read_text()
    assert "<<<<<<< your version" in makefile and ">>>>>>> updated template" in makefile
    assert "EXTRAS := dev,airflow,docs\n" in makefile and "EXTRAS := dev\n" in makefile
    assert "1 conflict(s) to resolve by hand: Makefile" in capsys.readouterr().err


def test_dirty_tree_is_refused_and_untouched(
    history: History, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "scratch.txt").write_text("work in progress")
    before = tree(project)
    assert run_update(history, project, "--set", "orchestration=kubeflow") == 2
    assert "uncommitted changes" in capsys.readouterr().err
    assert tree(project) == before


def test_dry_run_of_an_answer_change_writes_nothing(
    history: History, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(project)
    assert run_update(history, project, "--set", "orchestration=none", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "would remove  dags/iris_classifier_training.py" in out
    assert "would update  Makefile" in out
    assert tree(project) == before


def test_failure_mid_update_leaves_the_project_exactly_as_it_was(
    history: History, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree(project)
    real_write = Path.write_bytes
    calls = {"n": 0}

    def write_until_disk_full(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 4 and str(project) in str(self):  # a full disk cannot be produced here
            raise OSError(28, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_until_disk_full)
    with pytest.raises(OSError, match="No space left"):
        update.run_update(str(history.repo), project, {"orchestration": "kubeflow"}, dry_run=False)
    monkeypatch.undo()
    assert calls["n"] > 4, "the failure must come after some files were already written"
    assert tree(project) == before
    assert git(project, "status", "--porcelain") == ""


def test_question_gained_since_generation_takes_its_default(
    history: History, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers_path = project / ANSWERS_FILE
    document = json.loads(answers_path.read_text())
    del document["cookiecutter"]["license"]  # as if the answers came from before the licence question
    answers_path.write_text(json.dumps(document, indent=2) + "\n")
    commit(project)
    assert run_update(history, project) == 0
    assert "new question license: answered with the default 'MIT'" in capsys.readouterr().out
    assert json.loads(answers_path.read_text())["cookiecutter"]["license"] == "MIT"


def test_up_to_date_project_is_left_alone(history: History, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree(project)
    assert run_update(history, project) == 0
    assert "nothing to change" in capsys.readouterr().out
    assert tree(project) == before


def test_missing_answers_file_is_explained(
    history: History, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_update(history, tmp_path) == 2
    assert f"cannot read answers file {tmp_path / ANSWERS_FILE}" in capsys.readouterr().err


def test_the_command_asks_a_gained_question_on_a_terminal(history: History, old_project: Path) -> None:
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "COLUMNS": "120", "LINES": "40"}
    command = [str(old_project), "--template", str(history.repo)]
    child = pexpect.spawn(
        tool("mlops-template"), ["update", *command], env=env, encoding="utf-8", timeout=60, dimensions=(40, 120)
    )
    child.expect_exact("New question: Team that owns the project")
    child.send("\x15data-eng\r")  # Ctrl-U clears the default first
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "# Owned by data-eng:" in (old_project / "Makefile").read_text()


def test_a_url_is_cloned_and_recorded(history: History, old_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = history.repo.as_uri()
    assert main(["update", str(old_project), "--no-input", "--template", url]) == 0
    assert "# Owned by ml-platform:" in (old_project / "Makefile").read_text()
    assert saved(old_project)["_template_location"] == url
    commit(old_project)
    assert main(["update", str(old_project), "--no-input", "--template", f"{url}-missing"]) == 2
    assert f"cannot clone the template from {url}-missing: " in capsys.readouterr().err
