"""Check a set of answers against the catalog before anything is written."""

from __future__ import annotations

import re
from typing import Any

from mlops_template.catalog import Catalog, Offer, Rule
from mlops_template.errors import AnswersError
from mlops_template.naming import email_problem, package_problem, slug_problem

# Free text lands in Python, TOML, YAML, Dockerfiles and Markdown, escaped for
# each; only line breaks cannot fit the one-line places (titles, labels).
FREE_TEXT_KEYS = ("project_name", "description", "author_name")


def _choice_list(choices: tuple[str, ...]) -> str:
    return ", ".join(choices)


FIELD_CHECKS = {"project_slug": slug_problem, "package_name": package_problem, "author_email": email_problem}


def field_problem(catalog: Catalog, key: str, value: str) -> str | None:
    """Why ``value`` cannot answer the project question ``key``, or None (also used at the prompt)."""
    if key == "project_name" and not value.strip():
        return "project_name is empty: give the project a name, for example 'Iris Classifier'"
    if key in FREE_TEXT_KEYS and any(char in value for char in "\r\n"):
        return f"{key} must fit on one line: remove the line breaks"
    if key in FIELD_CHECKS:
        return FIELD_CHECKS[key](value)
    question = next((q for q in catalog.project_questions if q.key == key), None)
    if question and question.choices and value not in question.choices:
        return f"{key} '{value}' is not offered: choose one of {_choice_list(question.choices)}"
    return None


def project_problems(catalog: Catalog, answers: dict[str, Any]) -> list[str]:
    """Problems with the project-level answers (names, licence, Python version)."""
    problems = []
    for question in catalog.project_questions:
        problem = field_problem(catalog, question.key, str(answers.get(question.key, question.default)))
        if problem:
            problems.append(problem)
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
        problems += rule_problems(catalog, offer, answers)
    return problems


def _decided(catalog: Catalog, answers: dict[str, Any]) -> list[Offer]:
    """The offers ``answers`` pick so far: answered stages, and stages with one tool (never asked)."""
    return [
        o for o in catalog.chosen_offers(answers) if o.stage_id in answers or not catalog.stage(o.stage_id).prompted
    ]


def _has(catalog: Catalog, capability: str, answers: dict[str, Any]) -> bool | None:
    """Whether the stack ``answers`` describe has ``capability``; None while an unanswered stage could add it."""
    if any(offer.has(capability) for offer in _decided(catalog, answers)):
        return True
    undecided = [stage for stage in catalog.prompted_stages if stage.id not in answers]
    return None if any(offer.has(capability) for stage in undecided for offer in stage.selectable) else False


def _broken(catalog: Catalog, rule: Rule, answers: dict[str, Any], required: bool) -> str | None:
    """What of ``answers`` breaks ``rule`` (a requirement when ``required``, else a conflict), or None."""
    if rule.capability:
        has = _has(catalog, rule.capability, answers)
        if required and has is False:
            providers = " or ".join(f"{o.stage_id}={o.tool_id}" for o in catalog.capable(rule.capability))
            return f"no tool that provides {rule.capability} ({providers})"
        return f"{rule.capability}" if not required and has else None
    value = answers.get(rule.stage_id)
    if value is None:
        return None
    broken = value not in rule.tool_ids if required else value in rule.tool_ids
    return f"{rule.stage_id}={value}" if broken else None


def rule_problems(catalog: Catalog, offer: Offer, answers: dict[str, Any]) -> list[str]:
    """Why choosing ``offer`` breaks one of its requires/conflicts rules against ``answers``.

    Stages missing from ``answers`` count as undecided. Every chosen offer is
    checked, so a rule is enforced from whichever side declares it.
    """
    problems = []
    for rules, required in ((offer.requires, True), (offer.conflicts, False)):
        for rule in rules:
            if cause := _broken(catalog, rule, answers, required):
                problems.append(f"{offer.stage_id}={offer.tool_id} with {cause}: {rule.message}")
    return problems


def disabled_reason(catalog: Catalog, offer: Offer, earlier: dict[str, Any]) -> str | None:
    """Why ``offer`` cannot be picked after the ``earlier`` answers, or None if it can."""
    picked = earlier | {offer.stage_id: offer.tool_id}
    for candidate in _decided(catalog, picked):
        problems = rule_problems(catalog, candidate, picked)
        if problems:
            return problems[0].split(": ", 1)[1]
    return None


def follow_up_problems(catalog: Catalog, answers: dict[str, Any]) -> list[str]:
    """Answers to the chosen tools' follow-up questions that do not match their pattern."""
    problems = []
    for offer in catalog.chosen_offers(answers):
        for question in offer.questions:
            value = str(answers.get(question.context_key, ""))
            if "{{" not in value and not re.match(question.pattern, value):
                problems.append(f"{question.key} '{value}' is invalid: use {question.hint}")
    return problems


def unknown_keys(catalog: Catalog, answers: dict[str, Any]) -> list[str]:
    """Answers the template does not know (typos in an answers file or --set)."""
    known = {*catalog.question_keys, *(q.key for q in catalog.follow_ups)}
    return [
        f"'{key}' is not a question of this template: check the spelling (known: {', '.join(sorted(known))})"
        for key in answers
        if not key.startswith("_") and key not in known
    ]


def check_answers(catalog: Catalog, answers: dict[str, Any]) -> None:
    """Raise ``AnswersError`` listing every problem, or return if the answers can generate."""
    problems = (
        unknown_keys(catalog, answers)
        + project_problems(catalog, answers)
        + tool_problems(catalog, answers)
        + follow_up_problems(catalog, answers)
    )
    if problems:
        raise AnswersError(problems)
