"""Check a set of answers against the catalog before anything is written."""

from __future__ import annotations

from typing import Any

from mlops_template.catalog import Catalog
from mlops_template.errors import AnswersError
from mlops_template.naming import email_problem, package_problem, slug_problem

# Free text lands inside Python strings, TOML strings and Markdown.
FREE_TEXT_KEYS = ("project_name", "description", "author_name")


def _choice_list(choices: tuple[str, ...]) -> str:
    return ", ".join(choices)


def project_problems(catalog: Catalog, answers: dict[str, Any]) -> list[str]:
    """Problems with the project-level answers (names, licence, Python version)."""
    problems = []
    if not str(answers.get("project_name", "")).strip():
        problems.append("project_name is empty: give the project a name, for example 'Iris Classifier'")
    checks = (
        (slug_problem, "project_slug"),
        (package_problem, "package_name"),
        (email_problem, "author_email"),
    )
    for check, key in checks:
        problem = check(str(answers.get(key, "")))
        if problem:
            problems.append(problem)
    for key in FREE_TEXT_KEYS:
        if any(char in str(answers.get(key, "")) for char in '"\\\n'):
            problems.append(f"{key} must not contain double quotes, backslashes or line breaks: remove them")
    for question in catalog.project_questions:
        value = str(answers.get(question.key, question.default))
        if question.choices and value not in question.choices:
            problems.append(f"{question.key} '{value}' is not offered: choose one of {_choice_list(question.choices)}")
    return problems


def tool_problems(catalog: Catalog, answers: dict[str, Any]) -> list[str]:
    """Unknown or not-yet-selectable tools, and pairs of answers that do not fit."""
    problems = []
    for stage in catalog.prompted_stages:
        value = str(answers.get(stage.id, stage.default))
        offer = stage.offer(value)
        if offer is None:
            problems.append(f"unknown tool '{value}' for {stage.id}: choose one of {_choice_list(stage.choices)}")
        elif not offer.selectable:
            problems.append(
                f"{offer.label} ('{value}') is catalogued for {stage.id} but cannot be generated yet:"
                f" choose one of {_choice_list(stage.choices)}"
            )
    if problems:
        return problems
    for offer in catalog.chosen_offers(answers):
        for other, allowed in offer.requires.items():
            value = answers.get(other, catalog.stage(other).default)
            if value not in allowed:
                problems.append(
                    f"{offer.stage_id}={offer.tool_id} requires {other} to be {' or '.join(allowed)}"
                    f" (got '{value}'): set {other}={allowed[0]} or choose another {offer.stage_id}"
                )
        for other, refused in offer.conflicts.items():
            value = answers.get(other, catalog.stage(other).default)
            if value in refused:
                problems.append(
                    f"{offer.stage_id}={offer.tool_id} cannot be combined with {other}={value}: change one of the two"
                )
    return problems


def unknown_keys(catalog: Catalog, answers: dict[str, Any]) -> list[str]:
    """Answers the template does not know (typos in an answers file or --set)."""
    known = {q.key for q in catalog.project_questions} | {s.id for s in catalog.prompted_stages}
    return [
        f"'{key}' is not a question of this template: check the spelling (known: {', '.join(sorted(known))})"
        for key in answers
        if not key.startswith("_") and key not in known
    ]


def check_answers(catalog: Catalog, answers: dict[str, Any]) -> None:
    """Raise ``AnswersError`` listing every problem, or return if the answers can generate."""
    problems = unknown_keys(catalog, answers) + project_problems(catalog, answers) + tool_problems(catalog, answers)
    if problems:
        raise AnswersError(problems)
