"""Shared fixtures: the catalog, answer sets derived from it, and tool lookup."""

from __future__ import annotations

import itertools
import os
import shutil
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


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return CATALOG


@pytest.fixture(autouse=True, scope="session")
def _isolated_cookiecutter_config(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep cookiecutter's replay and clone folders out of the user's home, here and in subprocesses."""
    home = tmp_path_factory.mktemp("cookiecutter-home")
    config = home / "config.yaml"
    config.write_text(f"cookiecutters_dir: {home / 'cookiecutters'}\nreplay_dir: {home / 'replay'}\n")
    os.environ["COOKIECUTTER_CONFIG"] = str(config)
