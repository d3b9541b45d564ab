"""``mlops-template update``: re-render a project and merge the result into it, keeping the user's work.

Three trees take part, as in ``git merge``:

- *base*: the template rendered with the project's saved answers (what the user started from);
- *new*: the template rendered with the updated answers;
- *project*: the files on disk, with the user's edits.

Each path is decided on its own (``plan``); nothing is written until every
decision is made, and ``apply`` restores the project exactly if writing fails
or is interrupted.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from mlops_template import answers as saved
from mlops_template.catalog import Catalog, load_catalog
from mlops_template.errors import TemplateError
from mlops_template.generate import generate, resolve
from mlops_template.prompt import ask_new_questions
from mlops_template.validation import check_answers

EXIT_CONFLICTS = 1


class UpdateError(TemplateError):
    """The update cannot start (dirty tree, missing answers, git unavailable)."""


class Action(StrEnum):
    ADD = "add"
    UPDATE = "update"
    MERGE = "merge"
    CONFLICT = "conflict"
    REMOVE = "remove"
    KEEP_MODIFIED = "keep"
    SKIP_DELETED = "skip"


WRITES = {Action.ADD, Action.UPDATE, Action.MERGE, Action.CONFLICT}
NOTES = {
    Action.ADD: "new in the template",
    Action.UPDATE: "template changed, you had not",
    Action.MERGE: "your edits and the template's merged",
    Action.CONFLICT: "your edits and the template's overlap: resolve the conflict markers",
    Action.REMOVE: "its tool is no longer chosen",
    Action.KEEP_MODIFIED: "its tool is no longer chosen, but you modified it: kept",
    Action.SKIP_DELETED: "you deleted it: not restored",
}


@dataclass(frozen=True)
class Change:
    path: str
    action: Action
    content: bytes | None = None
    """What the file becomes (None for actions that write nothing or remove it)."""


def render(template_root: Path, catalog: Catalog, answers: dict[str, Any]) -> dict[str, bytes]:
    """The project the template generates for ``answers``, as path -> content."""
    with tempfile.TemporaryDirectory(prefix="mlops-template-render-") as scratch:
        project = generate(template_root, catalog, answers, Path(scratch))
        return {p.relative_to(project).as_posix(): p.read_bytes() for p in project.rglob("*") if p.is_file()}


def merge_three(mine: bytes, base: bytes, theirs: bytes) -> tuple[bytes, bool]:
    """``git merge-file`` of the three versions; returns the result and whether it has conflicts."""
    with tempfile.TemporaryDirectory(prefix="mlops-template-merge-") as scratch:
        paths = []
        for name, content in (("project", mine), ("base", base), ("template", theirs)):
            path = Path(scratch) / name
            path.write_bytes(content)
            paths.append(str(path))
        labels = ["-L", "your version", "-L", "previous template", "-L", "updated template"]
        result = subprocess.run(["git", "merge-file", "-p", *labels, *paths], capture_output=True, check=False)
    if result.returncode < 0 or result.returncode > 127:
        raise UpdateError(f"git merge-file failed: {result.stderr.decode(errors='replace')}")
    return result.stdout, result.returncode > 0


def _decide(path: str, base: bytes | None, new: bytes | None, mine: bytes | None) -> Change | None:
    if base is None and new is not None:
        if mine is None:
            return Change(path, Action.ADD, new)
        if mine == new:
            return None
        merged, conflicted = merge_three(mine, b"", new)
        return Change(path, Action.CONFLICT if conflicted else Action.MERGE, merged)
    if base is not None and new is None:
        if mine is None:
            return None
        return Change(path, Action.REMOVE) if mine == base else Change(path, Action.KEEP_MODIFIED)
    if mine is None:
        return Change(path, Action.SKIP_DELETED) if base != new else None
    if base == new or mine == new:
        return None
    if mine == base:
        return Change(path, Action.UPDATE, new)
    merged, conflicted = merge_three(mine, base or b"", new or b"")
    return Change(path, Action.CONFLICT if conflicted else Action.MERGE, merged)


def plan(project_dir: Path, base: dict[str, bytes], new: dict[str, bytes]) -> list[Change]:
    """Decide every path the old or new render has; files only the user has are never touched."""
    changes = []
    for path in sorted(base.keys() | new.keys()):
        target = project_dir / path
        mine = target.read_bytes() if target.is_file() else None
        if path == saved.ANSWERS_FILE:
            # The answers file is the template's record of the project: always the new answers.
            change = Change(path, Action.UPDATE, new[path]) if mine != new[path] else None
        else:
            change = _decide(path, base.get(path), new.get(path), mine)
        if change is not None:
            changes.append(change)
    return changes


def apply(project_dir: Path, changes: list[Change]) -> None:
    """Write ``changes``; on any failure or interrupt, put every touched path back as it was."""
    backups: dict[Path, bytes | None] = {}
    created_dirs: list[Path] = []
    try:
        for change in changes:
            if change.action not in WRITES and change.action is not Action.REMOVE:
                continue
            target = project_dir / change.path
            backups[target] = target.read_bytes() if target.is_file() else None
            if change.action is Action.REMOVE:
                target.unlink()
                continue
            missing = [parent for parent in reversed(target.parents) if not parent.exists()]
            target.parent.mkdir(parents=True, exist_ok=True)
            created_dirs.extend(missing)
            assert change.content is not None
            target.write_bytes(change.content)
    except BaseException:
        for target, content in backups.items():
            if content is None:
                target.unlink(missing_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
        for folder in reversed(created_dirs):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        raise
    _remove_empty_dirs(project_dir, [project_dir / c.path for c in changes if c.action is Action.REMOVE])


def _remove_empty_dirs(project_dir: Path, removed: list[Path]) -> None:
    for path in removed:
        for folder in path.parents:
            if folder == project_dir or not folder.is_dir() or any(folder.iterdir()):
                break
            folder.rmdir()


def ensure_clean_git_tree(project_dir: Path) -> None:
    """Refuse to touch a git working tree with uncommitted changes (the user could not undo us)."""
    if shutil.which("git") is None:
        raise UpdateError("git is needed for three-way merges: install git")
    inside = subprocess.run(
        ["git", "-C", str(project_dir), "rev-parse", "--is-inside-work-tree"], capture_output=True, text=True
    )
    if inside.returncode != 0:
        return
    status = subprocess.run(
        ["git", "-C", str(project_dir), "status", "--porcelain", "--untracked-files=all", "--", "."],
        capture_output=True,
        text=True,
        check=True,
    )
    if status.stdout.strip():
        dirty = "\n".join(f"    {line}" for line in status.stdout.splitlines()[:10])
        raise UpdateError(
            f"{project_dir} has uncommitted changes; commit or stash them first so the update can be reviewed"
            f" and undone:\n{dirty}"
        )


def report(changes: list[Change], dry_run: bool) -> str:
    verb = "would " if dry_run else ""
    width = max((len(c.action.value) for c in changes), default=0)
    lines = [f"  {verb}{c.action.value.ljust(width)}  {c.path}  ({NOTES[c.action]})" for c in changes]
    return "\n".join(lines) if lines else "  nothing to change: the project is up to date"


def run_update(
    template_root: Path, project_dir: Path, overrides: dict[str, str], dry_run: bool, interactive: bool
) -> int:
    catalog = load_catalog(template_root)
    old = saved.read(project_dir / saved.ANSWERS_FILE)
    if not dry_run:
        ensure_clean_git_tree(project_dir)
    gained = [key for key in catalog.question_keys if key not in old]
    asked = ask_new_questions(catalog, gained, old | overrides) if gained and interactive else {}
    base_answers = resolve(template_root, catalog, old)
    new_answers = resolve(template_root, catalog, old | asked | overrides)
    check_answers(catalog, new_answers)
    for key in gained:
        if key not in asked and key not in overrides:
            print(f"new question {key}: answered with the default '{new_answers[key]}'")

    base, new = render(template_root, catalog, base_answers), render(template_root, catalog, new_answers)
    changes = plan(project_dir, base, new)
    print(("Dry run, nothing written:\n" if dry_run else "") + report(changes, dry_run))
    if not dry_run:
        apply(project_dir, changes)
    conflicts = [c.path for c in changes if c.action is Action.CONFLICT]
    if conflicts:
        print(f"\n{len(conflicts)} conflict(s) to resolve by hand: {', '.join(conflicts)}", file=sys.stderr)
        return EXIT_CONFLICTS
    return 0
