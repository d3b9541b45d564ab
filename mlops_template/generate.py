"""Resolve a full set of answers and generate a project through cookiecutter itself.

The CLI never renders templates on its own: it hands the answers to the same
cookiecutter run (and so the same hooks) that ``cookiecutter --no-input`` uses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cookiecutter.generate import generate_context
from cookiecutter.main import cookiecutter
from cookiecutter.prompt import prompt_for_config

from mlops_template import answers as saved
from mlops_template.catalog import Catalog
from mlops_template.errors import AnswersError
from mlops_template.validation import check_answers, choice_problems, unknown_keys


def raw_defaults(template_root: Path) -> dict[str, Any]:
    """``cookiecutter.json`` as written (choices as lists, derived defaults as Jinja)."""
    return dict(json.loads((template_root / "cookiecutter.json").read_text(encoding="utf-8")))


def resolve(template_root: Path, catalog: Catalog, overrides: dict[str, Any]) -> dict[str, Any]:
    """Defaults of ``cookiecutter.json`` with ``overrides`` applied and derived values rendered."""
    problems = unknown_keys(catalog, overrides) + choice_problems(catalog, overrides)
    if problems:
        raise AnswersError(problems)
    # Follow-up answers are given by their plain key; cookiecutter knows them as __key.
    follow_ups = {q.key: q.context_key for q in catalog.follow_ups}
    overrides = {follow_ups.get(key, key): value for key, value in overrides.items()}
    try:
        context = generate_context(context_file=str(template_root / "cookiecutter.json"), extra_context=dict(overrides))
    except ValueError as error:  # cookiecutter's refusal of a value outside a choice list
        raise AnswersError([f"{error}: use one of the listed choices"]) from error
    return saved.public_answers(catalog, prompt_for_config(context, no_input=True))


def generate(template_root: Path, catalog: Catalog, answers: dict[str, Any], output_dir: Path) -> Path:
    """Generate the project for complete ``answers`` into ``output_dir``; return its path."""
    check_answers(catalog, answers)
    target = output_dir / str(answers["project_slug"])
    if target.exists():
        raise AnswersError([f"{target} already exists: choose another --output-dir or project_slug"])
    return Path(
        cookiecutter(
            str(template_root),
            no_input=True,
            extra_context=saved.public_answers(catalog, answers),
            output_dir=str(output_dir),
        )
    )
