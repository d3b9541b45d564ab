"""`mlops-template update` on real git repositories with real edits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cookiecutter.main import cookiecutter

from mlops_template import update
from mlops_template.answers import ANSWERS_FILE
from mlops_template.catalog import TEMPLATE_ROOT
from mlops_template.cli import main
from tests.helpers import git, tree

PACKAGE = "src/iris_classifier"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A default (Airflow) project, committed to git as a user would."""
    path = Path(cookiecutter(str(TEMPLATE_ROOT), no_input=True, output_dir=str(tmp_path)))
    git(path, "init", "-q", "-b", "main")
    git(path, "add", "-A")
    git(path, "commit", "-qm", "generated")
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def commit(project: Path) -> None:
    git(project, "add", "-A")
    git(project, "commit", "-qm", "my edits")


def run_update(project: Path, *args: str) -> int:
    return main(["update", str(project), "--no-input", *args])


def test_switching_orchestrator_keeps_edits_and_skips_deleted_files(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(project / "Makefile", "test:  ## Fast tests", "test:  ## Fast tests, stopping early")
    (project / "README.md").write_text((project / "README.md").read_text() + "\n## Team notes\n\nOn-call: wiki.\n")
    edit(project / PACKAGE / "model.py", "max_iter: int = 500", "max_iter: int = 800")
    (project / ".gitignore").unlink()
    edit(project / "tests" / "orchestration" / "test_airflow_dag.py", '"""The DAG', '"""Team-owned: the DAG')
    commit(project)

    assert run_update(project, "--set", "orchestration=kubeflow") == 0
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
    saved = json.loads((project / ANSWERS_FILE).read_text())["cookiecutter"]
    assert saved["orchestration"] == "kubeflow"


def test_overlapping_edits_are_left_as_conflicts_and_reported(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(project / "Makefile", "EXTRAS := dev,airflow", "EXTRAS := dev,airflow,docs")
    commit(project)
    assert run_update(project, "--set", "orchestration=kubeflow") == update.EXIT_CONFLICTS
    makefile = (project / "Makefile").read_text()
    assert "<<<<<<< your version" in makefile and ">>>>>>> updated template" in makefile
    assert "EXTRAS := dev,airflow,docs\n" in makefile and "EXTRAS := dev\n" in makefile
    assert "1 conflict(s) to resolve by hand: Makefile" in capsys.readouterr().err


def test_dirty_tree_is_refused_and_untouched(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "scratch.txt").write_text("work in progress")
    before = tree(project)
    assert run_update(project, "--set", "orchestration=kubeflow") == 2
    assert "uncommitted changes" in capsys.readouterr().err
    assert tree(project) == before


def test_dry_run_lists_changes_and_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree(project)
    assert run_update(project, "--set", "orchestration=none", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "would remove  dags/iris_classifier_training.py" in out
    assert "would update  Makefile" in out
    assert tree(project) == before


def test_failure_mid_update_leaves_the_project_exactly_as_it_was(
    project: Path, monkeypatch: pytest.MonkeyPatch
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
        update.run_update(TEMPLATE_ROOT, project, {"orchestration": "kubeflow"}, dry_run=False, interactive=False)
    monkeypatch.undo()
    assert calls["n"] > 4, "the failure must come after some files were already written"
    assert tree(project) == before
    assert git(project, "status", "--porcelain") == ""


def test_question_gained_since_generation_takes_its_default(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers_path = project / ANSWERS_FILE
    document = json.loads(answers_path.read_text())
    del document["cookiecutter"]["license"]  # as if the template added the licence question later
    answers_path.write_text(json.dumps(document, indent=2) + "\n")
    commit(project)
    assert run_update(project) == 0
    assert "new question license: answered with the default 'MIT'" in capsys.readouterr().out
    assert json.loads(answers_path.read_text())["cookiecutter"]["license"] == "MIT"


def test_up_to_date_project_is_left_alone(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree(project)
    assert run_update(project) == 0
    assert "nothing to change" in capsys.readouterr().out
    assert tree(project) == before


def test_missing_answers_file_is_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_update(tmp_path) == 2
    assert f"cannot read answers file {tmp_path / ANSWERS_FILE}" in capsys.readouterr().err
