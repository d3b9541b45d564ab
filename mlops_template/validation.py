"""Check a set of answers against the catalog before anything is written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mlops_template.catalog import Catalog, Offer, Rule, Stage
from mlops_template.errors import AnswersError
from mlops_template.naming import email_problem, package_problem, slug_problem

# Free text lands in Python, TOML, YAML, Dockerfiles and Markdown, escaped for
# each; only line breaks cannot fit the one-line places (titles, labels).
FREE_TEXT_KEYS = ("project_name", "description", "author_name")
# How a default names the earlier answer it is derived from.
_SOURCE = re.compile(r"cookiecutter\.(\w+)")


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


@dataclass(frozen=True)
class _Refused:
    """An answer that cannot be used, with the default it would have been derived by."""

    key: str
    context_key: str
    value: str
    default: str
    problem: str


def _project_refusals(catalog: Catalog, answers: dict[str, Any]) -> list[_Refused]:
    """Problems with the project-level answers (names, licence, Python version)."""
    refused = []
    for question in catalog.project_questions:
        value = str(answers.get(question.key, question.default))
        if problem := field_problem(catalog, question.key, value):
            refused.append(_Refused(question.key, question.key, value, question.default, problem))
    return refused


def _tool_choice_problem(stage: Stage, value: str) -> str | None:
    offer = stage.offer(value)
    if offer is None:
        return f"unknown tool '{value}' for {stage.id}: choose one of {_choice_list(stage.choices)}"
    if not offer.selectable:
        return (
            f"{offer.label} ('{value}') is in the catalog for reference only: the template cannot generate it"
            f" yet; selectable for {stage.id}: {_choice_list(stage.choices)}"
        )
    return None


def choice_problems(catalog: Catalog, answers: dict[str, Any]) -> list[str]:
    """Answers outside their question's choices, among the keys ``answers`` holds.

    Checked before cookiecutter sees the answers: it refuses such a value with
    a message that neither names the tool nor says what is wrong with it.
    """
    problems = []
    for stage in catalog.prompted_stages:
        if stage.id in answers and (problem := _tool_choice_problem(stage, str(answers[stage.id]))):
            problems.append(problem)
    for question in catalog.project_questions:
        if question.choices and question.key in answers:
            problem = field_problem(catalog, question.key, str(answers[question.key]))
            problems += [problem] if problem else []
    return problems


def tool_problems(catalog: Catalog, answers: dict[str, Any]) -> list[str]:
    """Unknown or not-yet-selectable tools, and pairs of answers that do not fit."""
    problems = []
    for stage in catalog.prompted_stages:
        problem = _tool_choice_problem(stage, str(answers.get(stage.id, stage.default)))
        problems += [problem] if problem else []
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


def _follow_up_refusals(catalog: Catalog, answers: dict[str, Any]) -> list[_Refused]:
    """Answers to the chosen tools' follow-up questions that do not match their pattern."""
    refused = []
    for offer in catalog.chosen_offers(answers):
        for question in offer.questions:
            value = str(answers.get(question.context_key, ""))
            if "{{" not in value and not re.match(question.pattern, value):
                problem = f"{question.key} '{value}' is invalid: use {question.hint}"
                refused.append(_Refused(question.key, question.context_key, value, question.default, problem))
    return refused


def _derived_from(refused: _Refused, answers: dict[str, Any]) -> str | None:
    """The answer ``refused.value`` was derived from, when it is what its default renders to (nobody typed it)."""
    sources = _SOURCE.findall(refused.default)
    if not sources:
        return None
    # Jinja is imported only here, once a derived value is wrong: the hook should start fast.
    from jinja2 import TemplateError as JinjaError

    from mlops_template.render import environment, render_text

    try:
        rendered = render_text(environment(answers), refused.default, {})
    except JinjaError:
        return None
    return str(sources[0]) if rendered == refused.value else None


def _reported_at_their_root(refusals: list[_Refused], answers: dict[str, Any]) -> list[str]:
    """One problem per answer typed: values derived from a bad one are a hint on it, not problems of their own.

    A project name with no letters gives an empty slug, package and image; the
    person typed only the name, so the name is what they must fix.
    """
    derived = {r.context_key: source for r in refusals if (source := _derived_from(r, answers)) is not None}
    by_root: dict[str, list[_Refused]] = {}
    for refusal in refusals:
        root = refusal.context_key
        while root in derived:
            root = derived[root]
        by_root.setdefault(root, []).append(refusal)
    problems = []
    for root, group in by_root.items():
        own = [r.problem for r in group if r.context_key == root]
        followers = [r for r in group if r.context_key != root]
        if not followers:
            problems += own
            continue
        hint = "derived from it: " + ", ".join(f"{r.key} '{r.value}'" for r in followers)
        if own:
            problems.append(f"{own[0]} ({hint})")
            continue
        first = followers[0]
        rule = first.problem.split(": ", 1)[-1]
        problems.append(
            f"{root} '{answers.get(root, '')}' gives an invalid {first.key}: change {root}, or set {first.key}"
            f" yourself ({rule}); {hint}"
        )
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
    refusals = _project_refusals(catalog, answers) + _follow_up_refusals(catalog, answers)
    problems = (
        unknown_keys(catalog, answers) + _reported_at_their_root(refusals, answers) + tool_problems(catalog, answers)
    )
    if problems:
        raise AnswersError(problems)
