"""Helpers shared by the tests: the catalog, answer sets derived from it, trees, git and tool lookup."""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from mlops_template.catalog import TEMPLATE_ROOT, Catalog, Stage, load_catalog
from mlops_template.validation import rule_problems, tool_problems

PROJECT_TEMPLATE = TEMPLATE_ROOT / "{{cookiecutter.project_slug}}"
CATALOG = load_catalog()
# A tool catalogued for a prompted stage but not selectable there: the example the refusal
# tests use, taken from the catalog so that making one tool selectable does not break them.
CATALOGUED_ONLY = next(offer for stage in CATALOG.prompted_stages for offer in stage.offers if not offer.selectable)


def tool(name: str) -> str:
    """Path of a command-line tool installed beside this interpreter (or on PATH)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: run `pip install -e '.[test]'`")
    return found


def _pairs(catalog: Catalog, stack: dict[str, str]) -> set[tuple[str, str, str, str]]:
    ids = [stage.id for stage in catalog.prompted_stages]
    return {(a, stack[a], b, stack[b]) for i, a in enumerate(ids) for b in ids[i + 1 :]}


def _compatible(catalog: Catalog, stack: dict[str, str]) -> bool:
    return not tool_problems(catalog, stack)


def covering_stacks(catalog: Catalog) -> list[dict[str, str]]:
    """Valid stacks that together contain every allowed pair of choices across two stages.

    Greedy all-pairs: start from the defaults, then repeatedly add the valid
    stack (built stage by stage) that covers the most pairs not yet covered.
    Every selectable tool appears at least once, and every pair the rules allow
    is baked, with a few dozen stacks instead of the full product.
    """
    stages = catalog.prompted_stages
    default = {stage.id: stage.default for stage in stages}
    wanted = set()
    for i, first in enumerate(stages):
        for second in stages[i + 1 :]:
            for a in first.choices:
                for b in second.choices:
                    stack = default | {first.id: a, second.id: b}
                    if _compatible(catalog, stack) or _repairable(catalog, stack, first.id, second.id):
                        wanted.add((first.id, a, second.id, b))
    stacks = [default]
    uncovered = wanted - _pairs(catalog, default)
    while uncovered:
        target = min(uncovered)
        stack = default | {target[0]: target[1], target[2]: target[3]}
        for stage in stages:
            if stage.id in (target[0], target[2]):
                continue
            options = [stack | {stage.id: choice} for choice in stage.choices]
            stack = max(options, key=lambda s: (_compatible(catalog, s), len(_pairs(catalog, s) & uncovered)))
        if not _compatible(catalog, stack):
            stack = _repaired(catalog, stack, target[0], target[2])
        stacks.append(stack)
        uncovered -= _pairs(catalog, stack)
    return stacks


def _consistent(catalog: Catalog, partial: dict[str, str]) -> bool:
    """No rule of a tool chosen so far is broken for good (stages not in ``partial`` are still open)."""
    return not any(
        rule_problems(catalog, offer, partial) for offer in catalog.chosen_offers(partial) if offer.stage_id in partial
    )


def _repaired(catalog: Catalog, stack: dict[str, str], *fixed: str) -> dict[str, str]:
    """The first valid stack, in the order of the choices, that keeps the ``fixed`` stages of ``stack``, or ``{}``.

    A depth-first search over the other stages that abandons a branch as soon as
    a chosen tool's rule is broken for good: the product of every choice of ~20
    stages is far too large to walk.
    """
    free = [stage for stage in catalog.prompted_stages if stage.id not in fixed]

    def search(partial: dict[str, str], rest: list[Stage]) -> dict[str, str]:
        if not _consistent(catalog, partial):
            return {}
        if not rest:
            return stack | partial if _compatible(catalog, stack | partial) else {}
        for choice in rest[0].choices:
            if found := search(partial | {rest[0].id: choice}, rest[1:]):
                return found
        return {}

    return search({stage_id: stack[stage_id] for stage_id in fixed}, free)


def _repairable(catalog: Catalog, stack: dict[str, str], *fixed: str) -> bool:
    return bool(_repaired(catalog, stack, *fixed))


def preset_stacks(catalog: Catalog) -> list[dict[str, str]]:
    """The presets' stacks in their order (the first, the laptop preset, is the default stack)."""
    return [catalog.preset_answers(preset.id) for preset in catalog.presets]


def tool_covering_stacks(catalog: Catalog) -> list[dict[str, str]]:
    """Few valid stacks that together use every selectable tool at least once: the default stack,
    then the presets' stacks, then stacks for the tools those leave out.

    Greedy: each new stack starts from a tool no stack has used yet, then takes, stage by
    stage, the choice that keeps it valid and uses the most unused tools. The slow tier
    installs these, so each real install proves tools no earlier install proved, and every
    preset is installed and tested as it is offered.
    """
    stages = catalog.prompted_stages
    stacks = [{stage.id: stage.default for stage in stages}]
    stacks += [stack for stack in preset_stacks(catalog) if stack not in stacks]
    missing = {(stage.id, choice) for stage in stages for choice in stage.choices}
    missing -= {item for stack in stacks for item in stack.items()}
    while missing:
        target_stage, target_choice = min(missing)
        stack = stacks[0] | {target_stage: target_choice}
        for stage in stages:
            if stage.id != target_stage:
                options = [stack | {stage.id: choice} for choice in stage.choices]
                stack = max(options, key=lambda s: (_compatible(catalog, s), len(set(s.items()) & missing)))
        if not _compatible(catalog, stack):
            stack = _repaired(catalog, stack, target_stage)
        assert stack, f"no valid stack uses {target_stage}={target_choice}"
        stacks.append(stack)
        missing -= set(stack.items())
    return stacks


def matrix(catalog: Catalog) -> list[dict[str, str]]:
    """The covering stacks, with the project-level choices cycled over them (as ccds does), then the
    presets' stacks that are not among them, with the default project choices."""
    choice_questions = [q for q in catalog.project_questions if q.choices]
    cycles = [itertools.cycle(q.choices) for q in choice_questions]
    stacks = covering_stacks(catalog)
    presets = [stack for stack in preset_stacks(catalog) if stack not in stacks]
    return [
        stack | {q.key: next(cycle) for q, cycle in zip(choice_questions, cycles, strict=True)} for stack in stacks
    ] + [stack | {q.key: q.default for q in choice_questions} for stack in presets]


def stack_id(answers: dict[str, Any]) -> str:
    """A stack's name in test ids: its answers that differ from the defaults (``default`` when none does),
    or ``preset=<id>`` for a preset's whole stack."""
    changed = [f"{s.id}={answers[s.id]}" for s in CATALOG.prompted_stages if answers[s.id] != s.default]
    stages = {s.id: answers[s.id] for s in CATALOG.prompted_stages}
    preset = next((p.id for p in CATALOG.presets if CATALOG.preset_answers(p.id) == stages), None)
    if changed and preset:
        return f"preset={preset}"
    return "+".join(changed) or "default"


GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env={**os.environ, **GIT_ENV}
    )
    return result.stdout


# What cookiecutter and the hooks read when they render the template (setup.py ships the same in the wheel).
TEMPLATE_PARTS = (
    "cookiecutter.json",
    "pyproject.toml",
    "catalog",
    "hooks",
    "templates",
    "{{cookiecutter.project_slug}}",
    "mlops_template",
)


def template_repository(target: Path) -> Path:
    """A new git repository, one commit, of the template's rendered parts as they are in this working tree."""
    listed = git(TEMPLATE_ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *TEMPLATE_PARTS)
    for name in filter(None, listed.split("\0")):
        source = TEMPLATE_ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-qm", "template")
    return target


def tree(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` with its bytes, for exact comparisons of generated projects."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def defaults(catalog: Catalog, **overrides: str) -> dict[str, Any]:
    """The default answers with rendered names, changed by ``overrides``."""
    answers: dict[str, Any] = {q.key: q.default for q in catalog.project_questions}
    answers |= {"project_slug": "iris-classifier", "package_name": "iris_classifier"}
    answers |= {stage.id: stage.default for stage in catalog.prompted_stages}
    answers |= {question.context_key: question.default for question in catalog.follow_ups}
    return answers | overrides


def npm_packages(folder: Path) -> Path:
    """A folder with the npm packages ``folder/package-lock.json`` pins installed, once per lock file.

    The install goes to a cache folder shared by test runs and xdist workers, named by the
    lock's digest, so a changed lock installs afresh and an unchanged one is reused.
    """
    lock = (folder / "package-lock.json").read_bytes() + (folder / "package.json").read_bytes()
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "mlops-template"
    target = cache / f"{folder.name}-{hashlib.sha256(lock).hexdigest()[:16]}"
    if (target / "node_modules" / ".package-lock.json").is_file():
        return target
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail(f"npm is not installed: tests/{folder.name} needs Node 20+ and npm")
    cache.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=cache, prefix=f"{folder.name}-building-"))
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(folder / name, building / name)
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
        cwd=building,
        check=True,
        timeout=600,
        capture_output=True,
    )
    try:
        building.rename(target)
    except OSError:  # another worker finished first
        shutil.rmtree(building, ignore_errors=True)
    return target
