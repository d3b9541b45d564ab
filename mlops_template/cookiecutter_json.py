"""Build ``cookiecutter.json`` and the presets' config files (``presets/``) from the catalog.

Run ``python -m mlops_template.cookiecutter_json`` after editing ``catalog/``;
``--check`` exits non-zero when a committed file is stale (used by the tests).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from mlops_template import presets
from mlops_template.catalog import TEMPLATE_ROOT, Catalog, load_catalog


def _with_default_first(choices: tuple[str, ...], default: str) -> list[str]:
    return [default, *(choice for choice in choices if choice != default)]


def build(catalog: Catalog) -> dict[str, Any]:
    context: dict[str, Any] = {}
    prompts: dict[str, Any] = {}
    for question in catalog.project_questions:
        context[question.key] = (
            _with_default_first(question.choices, question.default) if question.choices else question.default
        )
        prompts[question.key] = question.prompt
    for stage in catalog.prompted_stages:
        context[stage.id] = list(stage.choices)
        prompts[stage.id] = {"__prompt__": stage.question} | {offer.tool_id: offer.label for offer in stage.selectable}
    for follow_up in catalog.follow_ups:
        context[follow_up.context_key] = follow_up.default
    context["__prompts__"] = prompts
    context["_template_version"] = catalog.version
    return context


def render(catalog: Catalog) -> str:
    return json.dumps(build(catalog), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--check", action="store_true", help="fail if cookiecutter.json is out of date")
    parser.add_argument("--root", type=Path, default=TEMPLATE_ROOT, help="template checkout")
    args = parser.parse_args(argv)
    target = args.root / "cookiecutter.json"
    catalog = load_catalog(args.root)
    expected = render(catalog)
    if args.check:
        stale = [target] if target.read_text(encoding="utf-8") != expected else []
        stale += [args.root / path for path in presets.stale(catalog, args.root)]
        for path in stale:
            print(f"{path} is stale: run python -m mlops_template.cookiecutter_json", file=sys.stderr)
        return 1 if stale else 0
    target.write_text(expected, encoding="utf-8")
    presets.write(catalog, args.root)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
