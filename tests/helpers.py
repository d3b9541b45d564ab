"""Helpers shared by the tests: the catalog, answer sets derived from it, trees, git and tool lookup."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mlops_template.catalog import TEMPLATE_ROOT, Catalog, load_catalog
from mlops_template.validation import tool_problems

PROJECT_TEMPLATE = TEMPLATE_ROOT / "{{cookiecutter.project_slug}}"
CATALOG = load_catalog()


def tool(name: str) -> str:
    """Path of a command-line tool installed beside this interpreter (or on PATH)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: run `pip install -e '.[test]'`")
    return found


def valid_stacks(catalog: Catalog) -> list[dict[str, str]]:
    """Every combination of selectable tools that the catalog's rules allow."""
    stages = catalog.prompted_stages
    combos = itertools.product(*(stage.choices for stage in stages))
    stacks = [dict(zip((s.id for s in stages), combo, strict=True)) for combo in combos]
    return [stack for stack in stacks if not tool_problems(catalog, stack)]


def matrix(catalog: Catalog) -> list[dict[str, str]]:
    """Every valid stack, with the project-level choices cycled over them (as ccds does)."""
    choice_questions = [q for q in catalog.project_questions if q.choices]
    cycles = [itertools.cycle(q.choices) for q in choice_questions]
    return [
        stack | {q.key: next(cycle) for q, cycle in zip(choice_questions, cycles, strict=True)}
        for stack in valid_stacks(catalog)
    ]


def stack_id(answers: dict[str, Any]) -> str:
    return "-".join(str(answers[stage.id]) for stage in CATALOG.prompted_stages if len(stage.choices) > 1)


GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env={**os.environ, **GIT_ENV}
    )
    return result.stdout


def tree(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` with its bytes, for exact comparisons of generated projects."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def defaults(catalog: Catalog, **overrides: str) -> dict[str, Any]:
    """The default answers with rendered names, changed by ``overrides``."""
    answers: dict[str, Any] = {q.key: q.default for q in catalog.project_questions}
    answers |= {"project_slug": "iris-classifier", "package_name": "iris_classifier"}
    answers |= {stage.id: stage.default for stage in catalog.prompted_stages}
    return answers | overrides
