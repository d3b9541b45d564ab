"""Guard rails of the shape: one place per tool, stage interfaces, nothing tool-specific in shared files."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from mlops_template.catalog import NONE_ID, TEMPLATE_ROOT, Catalog
from tests.helpers import CATALOG, PROJECT_TEMPLATE

SHARED_TEMPLATE_FILES = sorted(
    path
    for root in (
        PROJECT_TEMPLATE,
        TEMPLATE_ROOT / "templates",
        TEMPLATE_ROOT / "hooks",
        TEMPLATE_ROOT / "catalog" / "kits",
    )
    for path in root.rglob("*")
    if path.is_file() and "__pycache__" not in path.parts
)
TOOL_NAMES = sorted(
    {
        name
        for stage in CATALOG.active_stages
        for offer in stage.selectable
        if offer.tool_id != NONE_ID
        for name in (offer.tool_id, offer.label)
    }
)


@pytest.mark.parametrize("path", SHARED_TEMPLATE_FILES, ids=lambda p: p.relative_to(TEMPLATE_ROOT).as_posix())
def test_shared_template_files_name_no_tool(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    named = [name for name in TOOL_NAMES if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE)]
    assert not named, f"{path.name} names {named}: move that into the tool's folder under catalog/tools/"


def test_no_template_file_compares_an_answer_with_a_tool() -> None:
    ids = "|".join(sorted({o.tool_id for s in CATALOG.active_stages for o in s.selectable} - {NONE_ID}))
    comparison = re.compile(rf"cookiecutter\.\w+\s*[!=]=\s*['\"]({ids})['\"]")
    files = [p for p in TEMPLATE_ROOT.rglob("*") if p.is_file() and p.suffix in {".py", ".jinja", ".yml", ".yaml", ""}]
    offenders = [
        p.relative_to(TEMPLATE_ROOT).as_posix()
        for p in files
        if ".venv" not in p.parts and ".git" not in p.parts and comparison.search(p.read_text(errors="ignore"))
    ]
    assert offenders == []


def test_generator_code_names_no_tool() -> None:
    """mlops_template/ reads tools from the catalog; a tool id as a literal there is a special case."""
    ids = {offer.tool_id for stage in CATALOG.active_stages for offer in stage.selectable} - {NONE_ID}
    for module in sorted((TEMPLATE_ROOT / "mlops_template").glob("*.py")):
        literals = {node.value for node in ast.walk(ast.parse(module.read_text())) if isinstance(node, ast.Constant)}
        assert not literals & ids, f"{module.name} names {sorted(literals & ids)}"


@pytest.mark.parametrize("stage", [s for s in CATALOG.active_stages if s.interface], ids=lambda s: s.id)
def test_every_selectable_tool_implements_its_stage_interface(stage: object, catalog: Catalog) -> None:
    for offer in stage.selectable:  # type: ignore[attr-defined]
        modules = [files_dir / stage.interface for files_dir in offer.files_dirs]  # type: ignore[attr-defined]
        assert any(m.is_file() for m in modules), (
            f"{offer.tool_id} is selectable for {offer.stage_id} but has no {modules[-1]}"
        )


def test_every_selectable_tool_brings_files_or_says_why_not(catalog: Catalog) -> None:
    """A selectable tool with no files would silently generate nothing ("none" may).

    The files may all come from the tool it extends (MinIO is S3's code with other defaults).
    """
    for stage in catalog.active_stages:
        for offer in stage.selectable:
            if offer.tool_id != NONE_ID:
                folders = [d for d in offer.files_dirs if d.is_dir() and any(d.rglob("*"))]
                assert folders, f"{offer.files_dir} is empty, and so is every folder it extends"


def test_tool_files_never_collide_with_the_project_template(catalog: Catalog) -> None:
    base = {p.relative_to(PROJECT_TEMPLATE).as_posix() for p in PROJECT_TEMPLATE.rglob("*") if p.is_file()}
    for stage in catalog.active_stages:
        for offer in stage.selectable:
            if offer.files_dir.is_dir():
                mine = {p.relative_to(offer.files_dir).as_posix() for p in offer.files_dir.rglob("*") if p.is_file()}
                assert not mine & base, f"{offer.tool_id} overrides shared files {sorted(mine & base)}"
