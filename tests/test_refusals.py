"""Bad answers are refused with a message that names the problem and a fix, and leave nothing behind."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cookiecutter.exceptions import FailedHookException

from mlops_template.answers import ANSWERS_FILE
from mlops_template.catalog import TEMPLATE_ROOT
from tests.helpers import CATALOG, CATALOGUED_ONLY


def _run_cookiecutter(output: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "cookiecutter", "--no-input", str(TEMPLATE_ROOT), "-o", str(output), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (["project_slug=My Project"], "project_slug 'My Project' is invalid"),
        (["package_name=class"], "would shadow the Python keyword"),
        (
            ["orchestration=kubeflow", "packaging=none"],
            "orchestration=kubeflow with no tool that provides container_image (packaging=docker or"
            " packaging=helm or packaging=kubernetes): Kubeflow Pipelines runs every step in the project's container"
            " image",
        ),
        (["author_email=nobody"], "author_email 'nobody' is not an email address"),
    ],
)
def test_cli_refuses_with_a_clear_message_and_no_directory(tmp_path: Path, answers: list[str], message: str) -> None:
    result = _run_cookiecutter(tmp_path, *answers)
    assert result.returncode != 0
    assert "mlops-template: cannot generate this project" in result.stderr
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_refuses_an_unknown_choice_before_rendering(tmp_path: Path) -> None:
    result = _run_cookiecutter(tmp_path, "orchestration=dagster")
    assert result.returncode != 0
    assert "dagster" in result.stderr and "airflow" in result.stderr
    assert list(tmp_path.iterdir()) == []


def _replay_file(tmp_path: Path, **answers: Any) -> Path:
    """A complete saved-answers file (from a real bake) with some answers changed by hand."""
    from cookiecutter.main import cookiecutter

    project = Path(cookiecutter(str(TEMPLATE_ROOT), no_input=True, output_dir=str(tmp_path / "first")))
    document = json.loads((project / ANSWERS_FILE).read_text())
    document["cookiecutter"] |= answers
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(document))
    return path


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (
            {"orchestration": "dagster"},
            "unknown tool 'dagster' for orchestration: choose one of "
            + ", ".join(CATALOG.stage("orchestration").choices),
        ),
        (
            {CATALOGUED_ONLY.stage_id: CATALOGUED_ONLY.tool_id},
            f"{CATALOGUED_ONLY.label} ('{CATALOGUED_ONLY.tool_id}') is in the catalog for reference only",
        ),
        ({"serving": "kserve"}, "('kserve') is in the catalog for reference only"),
    ],
)
def test_answers_that_bypass_cookiecutter_choices_are_refused_by_the_hook(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], answers: dict[str, str], message: str
) -> None:
    output = tmp_path / "out"
    replay = _replay_file(tmp_path, **answers)
    from cookiecutter.main import cookiecutter

    with pytest.raises(FailedHookException):
        cookiecutter(str(TEMPLATE_ROOT), replay=str(replay), output_dir=str(output))
    assert message in capfd.readouterr().err
    assert not output.exists() or list(output.iterdir()) == []


def test_existing_project_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "iris-classifier").mkdir()
    (tmp_path / "iris-classifier" / "notes.md").write_text("mine")
    result = _run_cookiecutter(tmp_path)
    assert result.returncode != 0
    assert "already exists" in result.stdout + result.stderr
    assert [p.name for p in (tmp_path / "iris-classifier").iterdir()] == ["notes.md"]
