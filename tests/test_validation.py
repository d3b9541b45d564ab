"""Answers are checked against the catalog: names, unknown tools, rules."""

from __future__ import annotations

import pytest

from mlops_template.catalog import TEMPLATE_ROOT, Catalog
from mlops_template.errors import AnswersError
from mlops_template.generate import resolve
from mlops_template.naming import package_problem, slug_problem
from mlops_template.validation import check_answers
from tests.helpers import CATALOG, CATALOGUED_ONLY, defaults


def problems(catalog: Catalog, **overrides: str) -> list[str]:
    try:
        check_answers(catalog, defaults(catalog, **overrides))
    except AnswersError as error:
        return error.problems
    return []


@pytest.mark.parametrize("slug", ["iris", "iris-classifier", "a1-b2"])
def test_good_slugs(slug: str) -> None:
    assert slug_problem(slug) is None


@pytest.mark.parametrize("slug", ["", "Iris", "iris classifier", "-iris", "iris--x", "iris-", "1iris", "a/b", "x" * 65])
def test_bad_slugs_are_explained(slug: str) -> None:
    assert "project_slug" in (slug_problem(slug) or "")


@pytest.mark.parametrize(
    ("name", "reason"), [("Iris", "not a valid"), ("iris-x", "not a valid"), ("class", "shadow"), ("json", "shadow")]
)
def test_bad_package_names_are_explained(name: str, reason: str) -> None:
    assert reason in (package_problem(name) or "")


def test_defaults_are_valid(catalog: Catalog) -> None:
    assert problems(catalog) == []


def test_unknown_tool_names_the_valid_choices(catalog: Catalog) -> None:
    assert problems(catalog, orchestration="dagster") == [
        "unknown tool 'dagster' for orchestration: choose one of " + ", ".join(CATALOG.stage("orchestration").choices)
    ]


def test_catalogued_but_unselectable_tool_is_refused_as_such(catalog: Catalog) -> None:
    [problem] = problems(catalog, **{CATALOGUED_ONLY.stage_id: CATALOGUED_ONLY.tool_id})
    assert problem.startswith(
        f"{CATALOGUED_ONLY.label} ('{CATALOGUED_ONLY.tool_id}') is in the catalog for reference only"
    )
    assert f"selectable for {CATALOGUED_ONLY.stage_id}: " in problem


def test_incompatible_pair_names_both_answers_and_a_fix(catalog: Catalog) -> None:
    assert problems(catalog, orchestration="kubeflow", packaging="none") == [
        "orchestration=kubeflow with no tool that provides container_image (packaging=docker or"
        " packaging=helm or packaging=kubernetes): Kubeflow Pipelines runs every step in the project's container"
        " image: choose a packaging that builds the image, or another orchestrator"
    ]


def test_a_tracker_and_a_registry_of_different_tools_combine(catalog: Catalog) -> None:
    assert problems(catalog, experiment_tracking="none", model_registry="mlflow") == []


def test_every_problem_is_reported_at_once(catalog: Catalog) -> None:
    found = problems(catalog, project_slug="Bad Slug", author_email="nobody", license="WTFPL", extra_key="1")
    assert len(found) == 4
    assert any("'extra_key' is not a question" in p for p in found)


def test_free_text_on_several_lines_is_refused(catalog: Catalog) -> None:
    [problem] = problems(catalog, description="two\nlines")
    assert problem == "description must fit on one line: remove the line breaks"


def test_quotes_and_backslashes_in_free_text_are_legal(catalog: Catalog) -> None:
    assert problems(catalog, description='say "hi" \\ bye', author_name="Ada O'Brien") == []


def test_private_context_keys_are_ignored(catalog: Catalog) -> None:
    assert problems(catalog, _template="x", _output_dir="/tmp") == []


def test_follow_up_answers_are_checked_only_for_the_chosen_tool(catalog: Catalog) -> None:
    assert problems(catalog, packaging="none", orchestration="none", __image="Not An Image") == []
    [problem] = problems(catalog, packaging="docker", __image="Not An Image")
    assert problem.startswith("image 'Not An Image' is invalid: use an image reference")
    assert problems(catalog, packaging="docker", __image="ghcr.io/team/iris:1.0") == []


def test_a_bad_project_name_is_reported_once_with_the_names_derived_from_it(catalog: Catalog) -> None:
    """Only ``project_name`` was typed: the slug, package and image derived from it are a hint, not problems."""
    answers = resolve(TEMPLATE_ROOT, catalog, {"project_name": "!!!"})
    with pytest.raises(AnswersError) as error:
        check_answers(catalog, answers)
    [problem] = error.value.problems
    assert problem.startswith("project_name '!!!' ")
    assert "project_slug ''" in problem and "package_name ''" in problem


def test_a_typed_name_that_is_bad_is_reported_as_typed(catalog: Catalog) -> None:
    answers = resolve(TEMPLATE_ROOT, catalog, {"project_name": "Fine", "project_slug": "Not A Slug"})
    with pytest.raises(AnswersError) as error:
        check_answers(catalog, answers)
    assert error.value.problems[0].startswith("project_slug 'Not A Slug' is invalid")
