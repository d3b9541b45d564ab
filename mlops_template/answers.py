"""The answers file saved inside every generated project.

It is a cookiecutter replay file (``{"cookiecutter": {...}}``) holding only the
answers a person gave, so both ``cookiecutter <template> --replay-file FILE``
and ``mlops-template update`` can regenerate the project. Private (``_``) values
are left out on purpose: on replay cookiecutter takes them from the template's
current ``cookiecutter.json``, which is what an update wants.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mlops_template.catalog import Catalog
from mlops_template.errors import AnswersError

ANSWERS_FILE = ".mlops-template-answers.json"


def public_answers(catalog: Catalog, context: dict[str, Any]) -> dict[str, Any]:
    """The person's answers in catalog order: project questions, then prompted stages."""
    keys = [q.key for q in catalog.project_questions] + [s.id for s in catalog.prompted_stages]
    return {key: context[key] for key in keys if key in context}


def dumps(catalog: Catalog, context: dict[str, Any]) -> str:
    document = {"cookiecutter": public_answers(catalog, context), "_template_version": catalog.version}
    return json.dumps(document, indent=2) + "\n"


def write(catalog: Catalog, context: dict[str, Any], project_dir: Path) -> Path:
    path = project_dir / ANSWERS_FILE
    path.write_text(dumps(catalog, context), encoding="utf-8")
    return path


def read(path: Path) -> dict[str, Any]:
    """Read a saved answers file; raise ``AnswersError`` naming the file when it is unusable."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise AnswersError([f"cannot read answers file {path}: {error.strerror}"]) from error
    except json.JSONDecodeError as error:
        raise AnswersError(
            [f"answers file {path} is not valid JSON (line {error.lineno}): fix it or regenerate it"]
        ) from error
    answers = document.get("cookiecutter") if isinstance(document, dict) else None
    if not isinstance(answers, dict):
        raise AnswersError([f"answers file {path} has no 'cookiecutter' mapping of answers"])
    return answers
