"""The saved answers file: a replay file with only what a person answered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlops_template import answers
from mlops_template.catalog import Catalog
from mlops_template.errors import AnswersError
from mlops_template.revision import TemplateSource
from tests.helpers import defaults


def test_saved_answers_are_public_and_in_catalog_order(catalog: Catalog) -> None:
    context = defaults(catalog) | {"_output_dir": "/somewhere", "_stack": {}}
    document = json.loads(answers.dumps(catalog, context, TemplateSource()))
    assert list(document["cookiecutter"]) == [
        *(q.key for q in catalog.project_questions),
        *(s.id for s in catalog.prompted_stages),
        *(q.context_key for q in catalog.follow_ups),
    ]
    assert document["_template_version"] == catalog.version


def test_round_trip(catalog: Catalog, tmp_path: Path) -> None:
    source = TemplateSource("0123abcd" * 5, "https://example.com/mlops-template.git")
    path = answers.write(catalog, defaults(catalog), tmp_path, source)
    assert answers.read(path) == answers.public_answers(catalog, defaults(catalog))
    record = answers.read_record(path)
    assert record.source == source
    assert record.version == catalog.version


def test_an_unknown_source_is_left_out(catalog: Catalog) -> None:
    document = json.loads(answers.dumps(catalog, defaults(catalog), TemplateSource()))
    assert set(document) == {"cookiecutter", "_template_version"}


def test_a_render_is_stamped_with_its_source(catalog: Catalog) -> None:
    rendered = answers.dumps(catalog, defaults(catalog), TemplateSource("aaaa", "/old/place")).encode()
    document = json.loads(answers.stamped(rendered, TemplateSource("bbbb", "/templates/mlops")))
    assert (document["_template_commit"], document["_template_location"]) == ("bbbb", "/templates/mlops")
    assert document["cookiecutter"] == answers.public_answers(catalog, defaults(catalog))


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "is not valid YAML or JSON"), ("[]", "must hold a mapping"), ("", "must hold a mapping")],
)
def test_broken_answers_file_names_the_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "answers.json"
    path.write_text(content)
    with pytest.raises(AnswersError, match=message) as error:
        answers.read(path)
    assert str(path) in str(error.value)


def test_missing_answers_file(tmp_path: Path) -> None:
    with pytest.raises(AnswersError, match="cannot read answers file"):
        answers.read(tmp_path / "missing.json")


def test_answers_file_not_in_utf8_names_the_file_and_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_bytes("project_name: Café\n".encode("latin-1"))
    with pytest.raises(AnswersError, match="is not UTF-8 text") as error:
        answers.read(path)
    assert str(path) in str(error.value)
