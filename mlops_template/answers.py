"""The answers file saved inside every generated project.

It is a cookiecutter replay file (``{"cookiecutter": {...}}``) holding only the
answers a person gave, so both ``cookiecutter <template> --replay-file FILE``
and ``mlops-template update`` can regenerate the project. Private (``_``) values
are left out on purpose: on replay cookiecutter takes them from the template's
current ``cookiecutter.json``, which is what an update wants.

Beside the answers it records the template's source (``_template_commit`` and
``_template_location``, see ``mlops_template.revision``) and version: the revision
an update renders as the base of its three-way merge. cookiecutter's replay reads
only the ``cookiecutter`` mapping, so these keys do not disturb it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mlops_template.catalog import Catalog
from mlops_template.errors import AnswersError
from mlops_template.revision import TemplateSource

ANSWERS_FILE = ".mlops-template-answers.json"
COMMIT_KEY = "_template_commit"
LOCATION_KEY = "_template_location"
VERSION_KEY = "_template_version"


def public_answers(catalog: Catalog, context: dict[str, Any]) -> dict[str, Any]:
    """The person's answers in catalog order: project questions, prompted stages, follow-ups.

    Follow-ups of unchosen tools are kept too: on replay cookiecutter would
    otherwise try to render their defaults without the answers they refer to.
    """
    keys = [*catalog.question_keys, *(q.context_key for q in catalog.follow_ups)]
    return {key: context[key] for key in keys if key in context}


def _dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2) + "\n"


def dumps(catalog: Catalog, context: dict[str, Any], source: TemplateSource) -> str:
    document: dict[str, Any] = {"cookiecutter": public_answers(catalog, context), VERSION_KEY: catalog.version}
    return _dumps(document | _source_fields(source))


def _source_fields(source: TemplateSource) -> dict[str, str]:
    fields = {COMMIT_KEY: source.commit, LOCATION_KEY: source.location}
    return {key: value for key, value in fields.items() if value}


def stamped(content: bytes, source: TemplateSource) -> bytes:
    """A rendered answers file with ``source`` recorded (a render of an exported tree cannot know its commit)."""
    document = {key: value for key, value in json.loads(content).items() if key not in (COMMIT_KEY, LOCATION_KEY)}
    return _dumps(document | _source_fields(source)).encode()


def write(catalog: Catalog, context: dict[str, Any], project_dir: Path, source: TemplateSource) -> Path:
    path = project_dir / ANSWERS_FILE
    path.write_text(dumps(catalog, context, source), encoding="utf-8")
    return path


def _document(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise AnswersError([f"cannot read answers file {path}: {error.strerror}"]) from error
    except UnicodeDecodeError as error:
        raise AnswersError(
            [f"answers file {path} is not UTF-8 text (byte {error.start} is not UTF-8): save it as UTF-8"]
        ) from error
    except yaml.YAMLError as error:
        raise AnswersError([f"answers file {path} is not valid YAML or JSON: {error}"]) from error


def _answers(path: Path, document: Any) -> dict[str, Any]:
    if isinstance(document, dict) and "cookiecutter" in document:
        document = document["cookiecutter"]
    if not isinstance(document, dict) or not document:
        raise AnswersError(
            [f"answers file {path} must hold a mapping of answers (or a 'cookiecutter' mapping of them)"]
        )
    return document


def read(path: Path) -> dict[str, Any]:
    """Answers from a saved answers file or a hand-written YAML mapping; ``AnswersError`` names the file."""
    return _answers(path, _document(path))


@dataclass(frozen=True)
class Record:
    """A project's saved answers and the template revision they were rendered from."""

    answers: dict[str, Any]
    source: TemplateSource
    version: str | None


def read_record(path: Path) -> Record:
    document = _document(path)
    answers = _answers(path, document)

    def text(key: str) -> str | None:
        value = document.get(key)
        return str(value) if value else None

    return Record(answers, TemplateSource(text(COMMIT_KEY), text(LOCATION_KEY)), text(VERSION_KEY))
