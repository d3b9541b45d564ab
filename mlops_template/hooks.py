"""What the cookiecutter hooks do; the hook scripts only locate this module and call it."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mlops_template import answers
from mlops_template.catalog import load_catalog, read_raw
from mlops_template.errors import TemplateError
from mlops_template.revision import describe
from mlops_template.validation import check_answers

# Each hook is an interpreter of its own: the pre-generation hook leaves the catalog
# files it parsed in the project folder for the post-generation hook, which removes
# them, so a generation reads the catalog once.
CATALOG_HANDOFF = ".mlops-template-catalog.json"


def pre_generate(context: dict[str, Any], template_root: Path, project_dir: Path) -> None:
    """Refuse answers the catalog cannot generate (cookiecutter then removes the project dir)."""
    raw = read_raw(template_root)
    handoff = _as_json(raw)
    check_answers(load_catalog(template_root, raw), context)
    if handoff is not None:
        (project_dir / CATALOG_HANDOFF).write_text(handoff, encoding="utf-8")


def _as_json(raw: dict[str, Any]) -> str | None:
    """``raw`` as JSON that reads back equal, or None: YAML holds what JSON cannot (dates, number keys)."""
    try:
        text = json.dumps(raw)
    except TypeError:
        return None
    return text if json.loads(text) == raw else None


def post_generate(context: dict[str, Any], template_root: Path, project_dir: Path) -> None:
    """Add the chosen tools' files and the shared files, then save the answers for replay and updates."""
    # Imported here: the pre-generation hook has no use for Jinja and should start fast.
    from mlops_template.assemble import assemble

    handoff = project_dir / CATALOG_HANDOFF
    raw = json.loads(handoff.read_text(encoding="utf-8")) if handoff.is_file() else None
    handoff.unlink(missing_ok=True)
    catalog = load_catalog(template_root, raw)
    assemble(catalog, context, project_dir)
    answers.write(catalog, context, project_dir, describe(template_root, str(context.get("_template", ""))))


def run(step: Callable[[dict[str, Any], Path, Path], None], context: dict[str, Any], root: Path) -> None:
    """Run a hook step; on a refusal print the reasons and exit 1 so nothing is kept."""
    try:
        step(context, root, Path.cwd())
    except TemplateError as error:
        print(f"mlops-template: cannot generate this project:\n{error}", file=sys.stderr)
        raise SystemExit(1) from None
