"""The ``mlops-template`` command: ``new``, ``update``, ``check`` and ``catalog``.

It drives the same catalog, validation and cookiecutter generation as the plain
``cookiecutter`` path; it only adds richer prompts and safe updates.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mlops_template import answers as saved
from mlops_template import prompt
from mlops_template.catalog import TEMPLATE_ROOT, Catalog, load_catalog
from mlops_template.catalog_view import overview, preset_detail, stage_detail
from mlops_template.errors import AnswersError, TemplateError
from mlops_template.generate import generate, raw_defaults, resolve
from mlops_template.update import check, run_update

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
DESCRIPTION = "Generate an MLOps project from the tool catalog, update it, or browse the catalog."
NEEDS_TERMINAL = (
    "no terminal to ask the questions on: pass --no-input (all defaults, or the --preset's tools),"
    " --answers FILE, or --set STAGE=TOOL"
)


def _parse_sets(pairs: list[str]) -> dict[str, str]:
    answers = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise AnswersError([f"--set {pair!r} is not KEY=VALUE: write it like --set orchestration=kubeflow"])
        answers[key.strip()] = value.strip()
    return answers


def _interactive(args: argparse.Namespace) -> bool:
    return not (args.no_input or args.answers or args.set)


def _ask_stages(catalog: Catalog, about: dict[str, Any], preset_id: str | None) -> dict[str, str]:
    """A preset (``--preset``, else asked) and the families the person opens, or every stage."""
    preset_id = preset_id or prompt.ask_preset(catalog)
    if preset_id == prompt.EVERY_STAGE:
        return prompt.ask_stages(catalog, about)
    return prompt.ask_families(catalog, about, catalog.preset_answers(preset_id))


def cmd_new(args: argparse.Namespace) -> int:
    root = args.template
    catalog = load_catalog(root)
    preset = catalog.preset_answers(args.preset) if args.preset else {}
    if _interactive(args):
        if not sys.stdin.isatty():
            print(f"mlops-template new: {NEEDS_TERMINAL}", file=sys.stderr)
            return EXIT_USAGE
        raw = raw_defaults(root)
        about = prompt.ask_project(catalog, raw)
        chosen = about | _ask_stages(catalog, about, args.preset)
        answers = resolve(root, catalog, chosen)
        destination = (Path(args.output_dir) / str(answers["project_slug"])).resolve()
        print(f"\nYour stack:\n{prompt.summary(catalog, answers, destination)}\n")
        if not prompt.confirm("Generate this project?"):
            print("Nothing generated.")
            return 0
    else:
        overrides = saved.read(Path(args.answers)) if args.answers else {}
        answers = resolve(root, catalog, preset | overrides | _parse_sets(args.set))
    project = generate(root, catalog, answers, Path(args.output_dir))
    python = answers["python_version"]
    print(f"Generated {project}\n\nNext steps:\n  cd {project}")
    print(f"  uv venv --python {python} && . .venv/bin/activate  # or: python{python} -m venv .venv && ...")
    print("  make install && make test && make train && make serve")
    return 0


def cmd_catalog(args: argparse.Namespace) -> int:
    catalog = load_catalog(args.template)
    if args.preset:
        print(preset_detail(catalog, catalog.preset(args.preset)))
    else:
        print(stage_detail(catalog.stage(args.stage)) if args.stage else overview(catalog))
    return 0


def _template_repository(args: argparse.Namespace) -> str:
    """``--template`` of the command, else the template this command runs from."""
    return str(args.template_repository or args.template)


def cmd_update(args: argparse.Namespace) -> int:
    interactive = not args.no_input and sys.stdin.isatty()
    return run_update(
        _template_repository(args),
        Path(args.project_dir),
        overrides=_parse_sets(args.set),
        dry_run=args.dry_run,
        ask=prompt.ask_new_questions if interactive else None,
        to=args.to,
        since=args.since,
    )


def cmd_check(args: argparse.Namespace) -> int:
    return check(_template_repository(args), Path(args.project_dir), to=args.to, since=args.since)


def _add_revision_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("project_dir", nargs="?", default=".", help="the generated project (default: .)")
    command.add_argument(
        "--template",
        dest="template_repository",
        metavar="PATH-OR-URL",
        help="the template's git repository (default: the checkout this command runs from)",
    )
    command.add_argument(
        "--to",
        default="HEAD",
        metavar="REF",
        help="template revision (tag or commit) to update to or check against (default: HEAD, the newest commit)",
    )
    command.add_argument(
        "--from",
        dest="since",
        metavar="REF",
        help="template revision the project was generated from, when its answers file records none",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mlops-template", description=DESCRIPTION)
    parser.add_argument("--template", type=Path, default=TEMPLATE_ROOT, help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", required=True)

    new = commands.add_parser("new", help="generate a new project (interactive unless told otherwise)")
    new.add_argument("-o", "--output-dir", default=".", help="where the project folder is created")
    new.add_argument(
        "--preset",
        metavar="NAME",
        help="start from a preset's tools (laptop, open-source-kubernetes, aws, ...; see mlops-template catalog)",
    )
    new.add_argument("--no-input", action="store_true", help="take every default (or the preset's), ask nothing")
    new.add_argument("--answers", metavar="FILE", help="YAML answers, or a generated project's saved answers file")
    new.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="an answer, e.g. orchestration=kubeflow"
    )
    new.set_defaults(handler=cmd_new)

    update = commands.add_parser(
        "update", help="bring the template's changes and changed answers into a project, keeping your edits"
    )
    _add_revision_options(update)
    update.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="change an answer")
    update.add_argument("--dry-run", action="store_true", help="list what would change, change nothing")
    update.add_argument("--no-input", action="store_true", help="take defaults for questions the template gained")
    update.set_defaults(handler=cmd_update)

    check_command = commands.add_parser(
        "check", help="exit 1 and list what would change when the project is behind the template"
    )
    _add_revision_options(check_command)
    check_command.set_defaults(handler=cmd_check)

    catalog = commands.add_parser("catalog", help="list the stages and tools, or one stage in detail")
    catalog.add_argument("stage", nargs="?", help="a stage id, e.g. orchestration")
    catalog.add_argument("--preset", metavar="NAME", help="a preset's stack: its tools and its Mermaid diagram")
    catalog.set_defaults(handler=cmd_catalog)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("\nInterrupted: nothing was written.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except AnswersError as error:
        print(f"mlops-template {args.command}: cannot continue:\n{error}", file=sys.stderr)
        return EXIT_USAGE
    except TemplateError as error:
        print(f"mlops-template {args.command}: {error}", file=sys.stderr)
        return EXIT_USAGE


def run() -> None:
    """Console-script entry point."""
    raise SystemExit(main())
