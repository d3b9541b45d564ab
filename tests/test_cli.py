"""`mlops-template new` and `catalog`, driven like a person: a pseudo-terminal, arrow keys, Enter."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pyte
import pytest
from cookiecutter.main import cookiecutter

from mlops_template import answers as saved
from mlops_template import prompt
from mlops_template.catalog import TEMPLATE_ROOT, Catalog, Stage
from mlops_template.validation import disabled_reason
from tests.helpers import CATALOGUED_ONLY, defaults, tool, tree

ENTER, DOWN, CTRL_C = "\r", "\x1b[B", "\x03"


def spawn(*args: str, cwd: Path, columns: int = 160) -> pexpect.spawn:
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "COLUMNS": str(columns), "LINES": "50"}
    return pexpect.spawn(
        tool("mlops-template"),
        list(args),
        cwd=str(cwd),
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(50, columns),
    )


class Screen:
    """What a person sees: the child's output fed through a terminal emulator of the same size."""

    def __init__(self, columns: int) -> None:
        self._screen = pyte.Screen(columns, 50)
        self._stream = pyte.Stream(self._screen)

    def write(self, data: str) -> None:
        self._stream.feed(data)

    def flush(self) -> None:
        """pexpect flushes its log file after each read."""

    def text(self) -> str:
        """The screen's lines joined, so a wrapped sentence reads as one.

        A line the terminal filled to its last column continues on the next one
        (the terminal wrapped it, maybe inside a word); any other line ends a run of text.
        """
        joined = "".join(line if line[-1:] != " " else line.rstrip() + " " for line in self._screen.display)
        return " ".join(joined.split())

    def wait_for(self, child: pexpect.spawn, text: str) -> None:
        """Read the child's output until ``text`` is on the screen (pexpect's TIMEOUT if it never is)."""
        wanted = " ".join(text.split())
        while wanted not in self.text():
            child.read_nonblocking(65536, timeout=child.timeout)


def answer(child: pexpect.spawn, question: str, keys: str = ENTER) -> None:
    """Wait for ``question`` on the screen, then type ``keys``."""
    if isinstance(child.logfile_read, Screen):  # a narrow terminal wraps the question
        child.logfile_read.wait_for(child, question)
    else:
        child.expect_exact(question)
    child.send(keys)


def answer_project_with_enter(child: pexpect.spawn, catalog: Catalog, every_stage: bool = True) -> None:
    """Enter on the project questions, then (``every_stage``) no preset: every stage is asked next."""
    for question in catalog.project_questions:
        answer(child, question.prompt)
    if every_stage:
        answer(child, prompt.PRESET_QUESTION, DOWN * len(catalog.presets) + ENTER)


def answer_stages_with_enter(child: pexpect.spawn, stages: tuple[Stage, ...]) -> None:
    """Enter on each stage and on the follow-up questions of its default tool, which come right after it."""
    for stage in stages:
        answer(child, stage.question)
        for follow_up in stage.selectable[0].questions:
            answer(child, follow_up.prompt)


def answer_stages_before(child: pexpect.spawn, catalog: Catalog, stage_id: str) -> None:
    """Enter on every stage asked before ``stage_id``."""
    ids = [stage.id for stage in catalog.prompted_stages]
    answer_stages_with_enter(child, catalog.prompted_stages[: ids.index(stage_id)])


def image_question(catalog: Catalog) -> str:
    """The image reference is a follow-up of the container packaging tool."""
    [question] = catalog.stage("packaging").selectable[0].questions
    return question.prompt


def pick_kubeflow(child: pexpect.spawn, catalog: Catalog) -> None:
    """Arrow down from the default to Kubeflow Pipelines on the orchestration question."""
    stage = catalog.stage("orchestration")
    steps = stage.choices.index("kubeflow") - stage.choices.index(stage.default)
    answer(child, stage.question, DOWN * steps + ENTER)


def test_enter_only_gives_the_same_tree_as_cookiecutter_no_input(tmp_path: Path, catalog: Catalog) -> None:
    """Enter on every question: the first preset (the laptop, every default), no family opened."""
    child = spawn("new", "-o", str(tmp_path / "cli"), cwd=tmp_path)
    answer_project_with_enter(child, catalog, every_stage=False)
    answer(child, prompt.PRESET_QUESTION)
    answer(child, prompt.FAMILIES_QUESTION)
    child.expect_exact("Your stack:")
    child.expect_exact("Generate this project?")
    child.send(ENTER)
    child.expect_exact("Next steps:")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    reference = Path(cookiecutter(str(TEMPLATE_ROOT), no_input=True, output_dir=str(tmp_path / "cc")))
    assert tree(tmp_path / "cli" / "iris-classifier") == tree(reference)


def test_conflicting_tool_is_shown_disabled_with_its_reason(tmp_path: Path, catalog: Catalog) -> None:
    child = spawn("new", "-o", str(tmp_path), cwd=tmp_path)
    answer_project_with_enter(child, catalog)
    answer_stages_before(child, catalog, "orchestration")
    pick_kubeflow(child, catalog)
    stages = [stage.id for stage in catalog.prompted_stages]
    answer_stages_with_enter(
        child, catalog.prompted_stages[stages.index("orchestration") + 1 : stages.index("packaging")]
    )
    child.expect_exact("How is the project packaged for deployment?")
    child.expect_exact("- None (no container image) (Kubeflow Pipelines runs every step in the project's container")
    child.send(ENTER)
    answer(child, image_question(catalog))
    answer_stages_with_enter(child, catalog.prompted_stages[stages.index("packaging") + 1 :])
    child.expect_exact("Generate this project?")
    child.send("n" + ENTER)
    child.expect_exact("Nothing generated.")
    child.expect(pexpect.EOF)
    assert list(tmp_path.iterdir()) == []


def test_at_80_columns_a_disabled_choice_shows_its_whole_reason(tmp_path: Path, catalog: Catalog) -> None:
    packaging = catalog.stage("packaging")
    none, chosen = packaging.offer("none"), packaging.offer(packaging.default)
    assert none is not None and chosen is not None
    reason = disabled_reason(catalog, none, defaults(catalog, orchestration="kubeflow"))
    assert reason and len(reason) > 80, "the check needs a reason longer than a line"
    screen = Screen(80)
    child = spawn("new", "-o", str(tmp_path), cwd=tmp_path, columns=80)
    child.logfile_read = screen
    answer_project_with_enter(child, catalog)
    answer_stages_before(child, catalog, "orchestration")
    pick_kubeflow(child, catalog)
    stages = [stage.id for stage in catalog.prompted_stages]
    answer_stages_with_enter(
        child, catalog.prompted_stages[stages.index("orchestration") + 1 : stages.index("packaging")]
    )
    screen.wait_for(child, packaging.question)
    screen.wait_for(child, f"- {none.label} ({reason})")
    screen.wait_for(child, f"Description: {chosen.description}")
    child.send(CTRL_C)
    child.expect(pexpect.EOF)


def test_follow_up_question_appears_only_for_its_tool(tmp_path: Path, catalog: Catalog) -> None:
    """The image reference is asked right after packaging=docker, and the pipeline runs that image."""
    child = spawn("new", "-o", str(tmp_path), cwd=tmp_path)
    answer_project_with_enter(child, catalog)
    answer_stages_before(child, catalog, "orchestration")
    pick_kubeflow(child, catalog)
    stages = [stage.id for stage in catalog.prompted_stages]
    answer_stages_with_enter(
        child, catalog.prompted_stages[stages.index("orchestration") + 1 : stages.index("packaging")]
    )
    answer(child, catalog.stage("packaging").question)
    answer(child, image_question(catalog), "\x7f" * 40 + "ghcr.io/team/iris:1.0" + ENTER)
    answer_stages_with_enter(child, catalog.prompted_stages[stages.index("packaging") + 1 :])
    child.expect_exact("Your stack:")
    child.expect_exact("ghcr.io/team/iris:1.0")  # the follow-up answer is in the summary
    child.expect(rf"Written to +{re.escape(str(tmp_path.resolve() / 'iris-classifier'))}")
    answer(child, "Generate this project?")
    child.expect(pexpect.EOF)
    pipeline = tmp_path / "iris-classifier" / "src" / "iris_classifier" / "kubeflow_pipeline.py"
    assert '"ghcr.io/team/iris:1.0"' in pipeline.read_text()


def test_no_image_question_without_an_image(tmp_path: Path, catalog: Catalog) -> None:
    child = spawn("new", "-o", str(tmp_path), cwd=tmp_path)
    answer_project_with_enter(child, catalog)
    stages = [stage.id for stage in catalog.prompted_stages]
    answer_stages_with_enter(child, catalog.prompted_stages[: stages.index("packaging")])
    packaging = catalog.stage("packaging")
    answer(child, packaging.question, DOWN * packaging.choices.index("none") + ENTER)
    answer_stages_with_enter(child, catalog.prompted_stages[stages.index("packaging") + 1 :])
    child.expect_exact("Your stack:")
    assert image_question(catalog) not in (child.before or "")
    child.expect_exact("Generate this project?")
    child.send("n" + ENTER)
    child.expect(pexpect.EOF)


def test_ctrl_c_at_a_question_exits_130_and_writes_nothing(tmp_path: Path, catalog: Catalog) -> None:
    child = spawn("new", "-o", str(tmp_path), cwd=tmp_path)
    answer_project_with_enter(child, catalog)
    answer_stages_before(child, catalog, "orchestration")
    answer(child, "Which orchestrator runs the training pipeline?", CTRL_C)
    child.expect_exact("nothing was written")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert list(tmp_path.iterdir()) == []


def test_slug_is_validated_at_the_prompt(tmp_path: Path) -> None:
    child = spawn("new", "-o", str(tmp_path), cwd=tmp_path)
    child.expect_exact("Project name")
    child.send(ENTER)
    child.expect_exact("Repository / distribution name")
    child.send("\x7f" * 40 + "Bad Slug" + ENTER)
    child.expect_exact("project_slug 'Bad Slug' is invalid")
    child.send(CTRL_C)
    child.expect(pexpect.EOF)


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tool("mlops-template"), *args], cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, text=True
    )


def test_without_a_terminal_it_names_the_flag_and_creates_nothing(tmp_path: Path) -> None:
    result = _run("new", cwd=tmp_path)
    assert result.returncode != 0
    assert "--no-input" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_set_and_answers_files(tmp_path: Path) -> None:
    result = _run("new", "--set", "orchestration=kubeflow", "--set", "project_name=Fraud Model", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "fraud-model"
    assert (project / "src" / "fraud_model" / "kubeflow_pipeline.py").is_file()
    again = _run("new", "--answers", str(project / ".mlops-template-answers.json"), "-o", "copy", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert tree(tmp_path / "copy" / "fraud-model") == tree(project)
    custom = _run("new", "--set", "orchestration=kubeflow", "--set", "image=ghcr.io/x/y:2", "-o", "c", cwd=tmp_path)
    assert custom.returncode == 0, custom.stderr
    assert "ghcr.io/x/y:2" in (tmp_path / "c" / "iris-classifier" / ".env.example").read_text()
    yaml_answers = tmp_path / "answers.yaml"
    yaml_answers.write_text("project_name: Churn\norchestration: none\n")
    assert _run("new", "--answers", str(yaml_answers), cwd=tmp_path).returncode == 0
    assert not (tmp_path / "churn" / "dags").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "orchestration=dagster"], "dagster"),
        (["--set", "orkestration=airflow"], "'orkestration' is not a question of this template"),
        (
            ["--set", "orchestration=kubeflow", "--set", "packaging=none"],
            "(packaging=docker or packaging=helm or packaging=kubernetes)",
        ),
        (["--set", "orchestration"], "is not KEY=VALUE"),
        (["--answers", "missing.yaml"], "cannot read answers file"),
        (["--set", "orchestration=kubeflow", "--set", "image=Bad Image"], "image 'Bad Image'"),
        (
            ["--set", f"{CATALOGUED_ONLY.stage_id}={CATALOGUED_ONLY.tool_id}"],
            f"{CATALOGUED_ONLY.label} ('{CATALOGUED_ONLY.tool_id}') is in the catalog for reference only",
        ),
        (["--set", "python_version=3.9"], "python_version '3.9' is not offered"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_written(tmp_path: Path, args: list[str], message: str) -> None:
    result = _run("new", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_next_steps_create_the_venv_with_the_chosen_python(tmp_path: Path) -> None:
    result = _run("new", "--set", "python_version=3.12", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "uv venv --python 3.12" in result.stdout
    assert "python3.12 -m venv .venv" in result.stdout
    assert "python -m venv" not in result.stdout


def test_help_is_plain_text(tmp_path: Path) -> None:
    result = _run("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "mlops-template" in result.stdout and "`" not in result.stdout


def test_broken_answers_file(tmp_path: Path) -> None:
    (tmp_path / "answers.yaml").write_text("project_name: [unclosed\n")
    result = _run("new", "--answers", "answers.yaml", "-o", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert "answers.yaml" in result.stderr and "not valid" in result.stderr
    assert not (tmp_path / "out").exists()


def test_existing_project_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "iris-classifier").mkdir()
    result = _run("new", "--no-input", cwd=tmp_path)
    assert result.returncode == 2
    assert "already exists" in result.stderr


def test_catalog_lists_every_tool_and_details_a_stage(catalog: Catalog, tmp_path: Path) -> None:
    listing = _run("catalog", cwd=tmp_path).stdout
    for stage in catalog.stages:
        for offer in stage.offers:
            if offer.tool_id != "none":
                status = "selectable" if offer.selectable else "reference only"
                assert f"{offer.tool_id}" in listing and status in listing
    detail = _run("catalog", "orchestration", cwd=tmp_path).stdout
    assert "* airflow: Apache Airflow [default]" in detail
    reference_only = _run("catalog", CATALOGUED_ONLY.stage_id, cwd=tmp_path).stdout
    assert f"- {CATALOGUED_ONLY.tool_id}: {CATALOGUED_ONLY.label}" in reference_only
    unknown = _run("catalog", "nope", cwd=tmp_path)
    assert unknown.returncode == 2 and "choose one of" in unknown.stderr


def test_module_entry_point_matches_console_script(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mlops_template", "catalog", "serving"], capture_output=True, text=True
    )
    assert result.returncode == 0 and "fastapi" in result.stdout


def test_installed_wheel_carries_the_template(tmp_path: Path) -> None:
    """What `pipx run --spec <repo> mlops-template` installs generates the same project as the checkout."""
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    subprocess.run([*pip, "wheel", "-q", "--no-deps", str(TEMPLATE_ROOT), "-w", str(tmp_path / "dist")], check=True)
    [wheel] = (tmp_path / "dist").glob("*.whl")
    subprocess.run([*pip, "install", "-q", "--no-deps", "--target", str(tmp_path / "site"), str(wheel)], check=True)
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    command = [sys.executable, "-m", "mlops_template", "new", "--no-input", "-o", str(tmp_path / "out")]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    where = [sys.executable, "-c", "import mlops_template.catalog as c; print(c.TEMPLATE_ROOT)"]
    root = subprocess.run(where, cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout
    assert root.strip() == str(tmp_path / "site" / "mlops_template" / "template")
    reference = Path(cookiecutter(str(TEMPLATE_ROOT), no_input=True, output_dir=str(tmp_path / "cc")))
    generated, expected = tree(tmp_path / "out" / "iris-classifier"), tree(reference)
    # Only a checkout has a commit to record; the wheel's copy has no history.
    recorded = json.loads(expected.pop(saved.ANSWERS_FILE))
    assert json.loads(generated.pop(saved.ANSWERS_FILE)) == {
        key: value for key, value in recorded.items() if key not in (saved.COMMIT_KEY, saved.LOCATION_KEY)
    }
    assert generated == expected
