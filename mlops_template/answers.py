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

import yaml

from mlops_template.catalog import Catalog
from mlops_template.errors import AnswersError

ANSWERS_FILE = ".mlops-template-answers.json"


def public_answers(catalog: Catalog, context: dict[str, Any]) -> dict[str, Any]:
    """The person's answers in catalog order: project questions, prompted stages, follow-ups.

    Follow-ups of unchosen tools are kept too: on replay cookiecutter would
    otherwise try to render their defaults without the answers they refer to.
    """
    keys = [*catalog.question_keys, *(q.context_key for q in catalog.follow_ups)]
    return {key: context[key] for key in keys if key in context}


def dumps(catalog: Catalog, context: dict[str, Any]) -> str:
    document = {"cookiecutter": public_answers(catalog, context), "_template_version": catalog.version}
    return json.dumps(document, indent=2) + "\n"


def write(catalog: Catalog, context: dict[str, Any], project_dir: Path) -> Path:
    path = project_dir / ANSWERS_FILE
    path.write_text(dumps(catalog, context), encoding="utf-8")
    return path


def read(path: Path) -> dict[str, Any]:
    """Answers from a saved answers file or a hand-written YAML mapping; ``AnswersError`` names the file."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise AnswersError([f"cannot read answers file {path}: {error.strerror}"]) from error
    except UnicodeDecodeError as error:
        raise AnswersError(
            [f"answers file {path} is not UTF-8 text (byte {error.start} is not UTF-8): save it as UTF-8"]
        ) from error
    except yaml.YAMLError as error:
        raise AnswersError([f"answers file {path} is not valid YAML or JSON: {error}"]) from error
    if isinstance(document, dict) and "cookiecutter" in document:
        document = document["cookiecutter"]
    if not isinstance(document, dict) or not document:
        raise AnswersError(
            [f"answers file {path} must hold a mapping of answers (or a 'cookiecutter' mapping of them)"]
        )
    return document
