"""Generation survives any legal answer set: random valid stacks with random Unicode names.

Hypothesis draws a choice for every asked stage (keeping the sets the rules allow)
and a project name of any Unicode text that makes a valid slug, bakes it through
cookiecutter's own API with the hooks, and checks what every project must be.
The draws are seeded and fixed in number, so the fast tier runs the same ones
every time; a failure prints the ``--set`` line that reproduces it.
"""

from __future__ import annotations

import ast
import fnmatch
import json
import shlex
import tomllib
from pathlib import Path
from typing import Any

import yaml
from cookiecutter.main import cookiecutter
from hypothesis import HealthCheck, given, note, seed, settings
from hypothesis import strategies as st

from mlops_template.answers import ANSWERS_FILE
from mlops_template.catalog import TEMPLATE_ROOT
from mlops_template.errors import AnswersError
from mlops_template.generate import resolve
from mlops_template.validation import check_answers
from tests.helpers import CATALOG
from tests.test_generation import TEMPLATE_MARKER, _verbatim_files

DRAWS = 12
NAME = st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40)


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, str]:
    stack = {stage.id: draw(st.sampled_from(stage.choices)) for stage in CATALOG.prompted_stages}
    answers = {"project_name": draw(NAME), **stack}
    if any(q.choices for q in CATALOG.project_questions):
        answers |= {q.key: draw(st.sampled_from(q.choices)) for q in CATALOG.project_questions if q.choices}
    return answers


def _valid(answers: dict[str, str]) -> bool:
    """Legal: the answers, with the names cookiecutter derives from them, pass the template's validation."""
    try:
        check_answers(CATALOG, resolve(TEMPLATE_ROOT, CATALOG, answers))
    except AnswersError:
        return False
    return True


def _checks_out(project: Path, answers: dict[str, Any]) -> None:
    parsers = {".yml": yaml.safe_load, ".yaml": yaml.safe_load, ".json": json.loads, ".toml": tomllib.loads}
    saved = json.loads((project / ANSWERS_FILE).read_text(encoding="utf-8"))["cookiecutter"]
    verbatim = _verbatim_files(CATALOG, answers, saved)
    # Another tool's templates (a Helm chart's) are not YAML until that tool renders them.
    foreign = [glob for offer in CATALOG.chosen_offers(answers) for glob in offer.foreign_templates]
    for path in project.rglob("*"):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        relative = path.relative_to(project).as_posix()
        if relative not in verbatim:
            assert not TEMPLATE_MARKER.search(text.replace("${{", "")), f"template marker left in {path.name}"
        if path.suffix == ".py":
            ast.parse(text, filename=str(path))
        elif path.suffix in parsers and not any(fnmatch.fnmatchcase(relative, glob) for glob in foreign):
            parsers[path.suffix](text)
    assert saved["project_name"] == answers["project_name"]
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["description"]


@seed(20261203)
@settings(max_examples=DRAWS, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.filter_too_much])
@given(answers=answer_sets().filter(_valid))
def test_any_legal_answer_set_generates_a_project_that_parses(answers: dict[str, str], tmp_path_factory: Any) -> None:
    note("reproduce: mlops-template new " + " ".join(f"--set {shlex.quote(f'{k}={v}')}" for k, v in answers.items()))
    output = tmp_path_factory.mktemp("draw")
    project = Path(cookiecutter(str(TEMPLATE_ROOT), no_input=True, extra_context=answers, output_dir=str(output)))
    _checks_out(project, answers)
