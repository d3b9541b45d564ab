"""Render a tool's files and contributions with the answers, as cookiecutter would.

The environment is cookiecutter's own (same filters, undefined variables are
errors), plus ``quoted``: a double-quoted, escaped string literal that is valid
Python, TOML, JSON, YAML and Dockerfile syntax, for free text such as the
project name wherever it lands.
"""

from __future__ import annotations

import fnmatch
import json
import shutil
from pathlib import Path
from typing import Any

from cookiecutter.environment import StrictEnvironment
from jinja2 import FileSystemLoader

from mlops_template.errors import CatalogError


def quoted(value: object) -> str:
    """``value`` as a JSON literal: a string (or a list of strings, for exec-form commands)."""
    return json.dumps(value if isinstance(value, list) else str(value), ensure_ascii=False)


def environment(context: dict[str, Any], templates: Path | None = None) -> StrictEnvironment:
    env = StrictEnvironment(
        context={"cookiecutter": context},
        keep_trailing_newline=True,
        loader=FileSystemLoader(str(templates)) if templates else None,
    )
    env.filters["quoted"] = quoted
    env.globals["cookiecutter"] = context
    return env


def render_text(env: StrictEnvironment, text: str, variables: dict[str, Any]) -> str:
    return env.from_string(text).render(variables) if "{" in text else text


def render_value(env: StrictEnvironment, value: Any, variables: dict[str, Any]) -> Any:
    """Render every string inside ``value`` (lists and dicts included, keys too)."""
    if isinstance(value, str):
        return render_text(env, value, variables)
    if isinstance(value, list | tuple):
        return [render_value(env, item, variables) for item in value]
    if isinstance(value, dict):
        return {render_text(env, k, variables): render_value(env, v, variables) for k, v in value.items()}
    return value


def _matches(path: Path, globs: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(path.as_posix(), pattern) for pattern in globs)


def render_tree(
    env: StrictEnvironment,
    source: Path,
    project_dir: Path,
    variables: dict[str, Any],
    owner: str,
    verbatim: tuple[str, ...] = (),
    left_out: tuple[str, ...] = (),
) -> list[str]:
    """Render every file under ``source`` into ``project_dir`` (paths are templates too).

    Files matching a ``verbatim`` glob (relative to ``source``; ``*`` crosses
    folders, as in ``fnmatch``) are copied byte
    for byte: vendored schemas, Helm charts and dashboards carry braces of their
    own. Files matching a ``left_out`` glob are not written. Returns the written paths.
    Two tools writing the same file is a catalog
    error, never a silent overwrite.
    """
    written = []
    for path in sorted(p for p in source.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        relative_source = path.relative_to(source)
        if _matches(relative_source, left_out):
            continue
        relative = render_text(env, relative_source.as_posix(), variables)
        target = project_dir / relative
        if target.exists():
            raise CatalogError(f"{owner} writes {relative}, which another part of the template already wrote")
        target.parent.mkdir(parents=True, exist_ok=True)
        if _matches(relative_source, verbatim):
            shutil.copyfile(path, target)
        else:
            target.write_text(render_text(env, path.read_text(encoding="utf-8"), variables), encoding="utf-8")
        written.append(relative)
    return written
