"""The interactive questionary flow: project questions, then one choice per stage."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path
from typing import Any

import questionary
from cookiecutter.environment import StrictEnvironment
from cookiecutter.prompt import render_variable

from mlops_template.catalog import Catalog, FollowUp, Stage
from mlops_template.diagram import box_label
from mlops_template.validation import disabled_reason, field_problem


def _validator(catalog: Catalog, key: str) -> Any:
    def validate(value: str) -> bool | str:
        return field_problem(catalog, key, value) or True

    return validate


# Where questionary starts the text on the screen: "  Description: <text>" under the
# list, and " » - <label> (<reason>)" for a disabled choice.
DESCRIPTION_COLUMN = len("  Description: ")
CHOICE_COLUMN = len(" » ")


def wrapped(text: str, first_column: int, indent: int, reserved: int = 0) -> str:
    """``text`` broken into lines that fit the terminal, its first line starting at ``first_column``.

    questionary draws each choice and the description as one line and cuts it at
    the terminal's edge, which would hide the end of a reason: the suggested fix.
    ``reserved`` columns stay free after the last word (the closing parenthesis).
    """
    width = max(shutil.get_terminal_size().columns - 1 - reserved, first_column + 20)
    # Whole words only: a reason's fix names settings (packaging=docker) and links that must stay intact.
    lines = textwrap.wrap(
        text,
        width=width,
        initial_indent=" " * first_column,
        subsequent_indent=" " * indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return "\n".join(lines)[first_column:]


def stage_choices(catalog: Catalog, stage: Stage, earlier: dict[str, Any]) -> list[questionary.Choice]:
    choices = []
    for offer in stage.selectable:
        reason = disabled_reason(catalog, offer, earlier)
        reason_column = CHOICE_COLUMN + len(f"- {offer.label} (")
        choices.append(
            questionary.Choice(
                title=offer.label,
                value=offer.tool_id,
                description=wrapped(offer.description, DESCRIPTION_COLUMN, DESCRIPTION_COLUMN),
                disabled=reason and wrapped(reason, reason_column, CHOICE_COLUMN + 2, reserved=1),
            )
        )
    return choices


def ask_project(catalog: Catalog, raw_defaults: dict[str, Any]) -> dict[str, Any]:
    """Ask the project questions; derived defaults (slug, package) follow earlier answers."""
    env = StrictEnvironment(context={"cookiecutter": raw_defaults})
    answers: dict[str, Any] = {}
    for question in catalog.project_questions:
        if question.choices:
            answers[question.key] = questionary.select(
                question.prompt, choices=list(question.choices), default=question.default
            ).unsafe_ask()
        else:
            default = render_variable(env, question.default, answers)
            answers[question.key] = questionary.text(
                question.prompt, default=str(default), validate=_validator(catalog, question.key)
            ).unsafe_ask()
    return answers


def _follow_up_validator(question: FollowUp) -> Any:
    def validate(value: str) -> bool | str:
        return bool(re.match(question.pattern, value)) or f"use {question.hint}"

    return validate


def ask_stages(
    catalog: Catalog,
    project: dict[str, Any],
    stages: tuple[Stage, ...] | None = None,
    decided: dict[str, str] | None = None,
    defaults: dict[str, str] | None = None,
) -> dict[str, str]:
    """One selection per stage (every prompted stage, or ``stages``), in catalog order; tools ruled out
    by the ``decided`` and earlier answers are disabled, and a chosen tool's follow-up questions come
    right after it. ``defaults`` (a preset's tools) are preselected where they are still allowed."""
    env = StrictEnvironment(context={"cookiecutter": project})
    answers: dict[str, str] = dict(decided or {})
    for stage in catalog.prompted_stages if stages is None else stages:
        choices = stage_choices(catalog, stage, answers)
        enabled = [choice.value for choice in choices if not choice.disabled]
        preferred = [(defaults or {}).get(stage.id), stage.default]
        default = next((tool for tool in preferred if tool in enabled), enabled[0])
        answers[stage.id] = questionary.select(
            f"{stage.label}: {stage.question}", choices=choices, default=default
        ).unsafe_ask()
        offer = stage.offer(answers[stage.id])
        for question in offer.questions if offer else ():
            answers[question.context_key] = questionary.text(
                question.prompt,
                default=str(render_variable(env, question.default, project)),
                validate=_follow_up_validator(question),
            ).unsafe_ask()
    return answers


EVERY_STAGE = ""
PRESET_QUESTION = "Which platform does the project start from?"
EVERY_STAGE_TITLE = "None: choose every stage myself"
FAMILIES_QUESTION = "Change the tools of any family?"
FAMILIES_INSTRUCTION = "(Space opens a family, Enter goes on with the families opened)"


def ask_preset(catalog: Catalog) -> str:
    """The preset to start from (the first is the default), or ``EVERY_STAGE`` to be asked every stage."""
    choices = [
        questionary.Choice(
            title=preset.label,
            value=preset.id,
            description=wrapped(preset.description, DESCRIPTION_COLUMN, DESCRIPTION_COLUMN),
        )
        for preset in catalog.presets
    ]
    choices.append(questionary.Choice(title=EVERY_STAGE_TITLE, value=EVERY_STAGE))
    return str(questionary.select(PRESET_QUESTION, choices=choices, default=choices[0]).unsafe_ask())


def family_summary(catalog: Catalog, family_id: str, answers: dict[str, str]) -> str:
    """The family's stages with the tool ``answers`` give each: "Storage: MinIO; Feature store: None"."""
    parts = []
    for stage in catalog.family_stages(family_id):
        offer = stage.offer(answers[stage.id])
        parts.append(f"{stage.label}: {box_label(offer) if offer else answers[stage.id]}")
    return "; ".join(parts)


def ask_families(catalog: Catalog, project: dict[str, Any], preset: dict[str, str]) -> dict[str, str]:
    """After a preset: which families to change, then only the opened families' stages."""
    families = [family for family in catalog.families if catalog.family_stages(family.id)]
    choices = [
        questionary.Choice(
            title=f"{family.label}: {family.description}",
            value=family.id,
            description=wrapped(family_summary(catalog, family.id, preset), DESCRIPTION_COLUMN, DESCRIPTION_COLUMN),
        )
        for family in families
    ]
    question = questionary.checkbox(FAMILIES_QUESTION, choices=choices, instruction=FAMILIES_INSTRUCTION)
    opened = set(question.unsafe_ask())
    asked = tuple(stage for family in families if family.id in opened for stage in catalog.family_stages(family.id))
    decided = {key: value for key, value in preset.items() if key not in {stage.id for stage in asked}}
    return preset | ask_stages(catalog, project, asked, decided=decided, defaults=preset)


def ask_new_questions(catalog: Catalog, keys: list[str], known: dict[str, Any]) -> dict[str, Any]:
    """Ask only ``keys``: questions the template gained after a project was generated."""
    asked: dict[str, Any] = {}
    for key in keys:
        if key in {stage.id for stage in catalog.prompted_stages}:
            stage = catalog.stage(key)
            choices = stage_choices(catalog, stage, known)
            asked[key] = questionary.select(f"New question: {stage.question}", choices=choices).unsafe_ask()
            continue
        question = next(q for q in catalog.project_questions if q.key == key)
        if question.choices:
            asked[key] = questionary.select(f"New question: {question.prompt}", list(question.choices)).unsafe_ask()
        else:
            asked[key] = questionary.text(f"New question: {question.prompt}", default=question.default).unsafe_ask()
    return asked


def summary(catalog: Catalog, answers: dict[str, Any], destination: Path) -> str:
    """The chosen stack, each chosen tool's follow-up answers and where the project goes, as two columns."""
    rows = [(q.prompt.split(" (")[0], str(answers[q.key])) for q in catalog.project_questions]
    for stage in catalog.prompted_stages:
        offer = stage.offer(str(answers[stage.id]))
        rows.append((stage.label, offer.label if offer else str(answers[stage.id])))
        for question in offer.questions if offer else ():
            rows.append((f"  {question.key}", str(answers[question.context_key])))
    rows.append(("Written to", str(destination)))
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"  {label.ljust(width)}  {value}" for label, value in rows)


def confirm(message: str) -> bool:
    return bool(questionary.confirm(message, default=True).unsafe_ask())
