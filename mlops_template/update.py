"""``mlops-template update``: re-render a project and merge the result into it, keeping the user's work.

Three trees take part, as in ``git merge``:

- *base*: the template at the revision recorded in the project's answers file,
  rendered with the saved answers (what the user started from);
- *new*: the template at the target revision (its newest commit by default),
  rendered with the updated answers;
- *project*: the files on disk, with the user's edits.

Each path is decided on its own (``plan``); nothing is written until every
decision is made, and ``apply`` restores the project exactly if writing fails
or is interrupted.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from cookiecutter.exceptions import CookiecutterException
from cookiecutter.main import cookiecutter

from mlops_template import answers as saved
from mlops_template.catalog import Catalog, load_catalog
from mlops_template.errors import TemplateError
from mlops_template.generate import resolve
from mlops_template.ignores import GITIGNORE, with_kept_ignores
from mlops_template.revision import Repository, TemplateSource, open_repository
from mlops_template.validation import check_answers

EXIT_CONFLICTS = 1
EXIT_OUTDATED = 1
PYPROJECT = "pyproject.toml"
LOCK_FILE = "uv.lock"
CRUFT_FILE = ".cruft.json"
AskNewQuestions = Callable[[Catalog, list[str], dict[str, Any]], dict[str, Any]]
"""Asks the questions a template gained since the project was generated; returns the answers given."""


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


def render(tree: Path, answers: dict[str, Any], revision: str) -> dict[str, bytes]:
    """The project the template ``tree`` generates for ``answers``, through cookiecutter and that tree's own hooks."""
    with tempfile.TemporaryDirectory(prefix="mlops-template-render-") as scratch:
        try:
            project = Path(cookiecutter(str(tree), no_input=True, extra_context=answers, output_dir=scratch))
        except (CookiecutterException, ValueError) as error:
            raise UpdateError(f"the template at {revision} cannot render these answers: {error}") from error
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


def _base_commit(repository: Repository, record: saved.Record, since: str | None) -> str:
    if since:
        return repository.commit(since, "--from")
    if record.source.commit is None:
        version = f" (template version {record.version})" if record.version else ""
        raise UpdateError(
            f"{saved.ANSWERS_FILE} records no template revision{version}: the project was generated from a copy"
            " without git history or before revisions were recorded; pass --from REF, the template commit or tag"
            " it was generated from"
        )
    return repository.commit(record.source.commit, f"recorded in {saved.ANSWERS_FILE}")


def _new_answers(
    tree: Path, catalog: Catalog, old: dict[str, Any], overrides: dict[str, str], ask: AskNewQuestions | None
) -> dict[str, Any]:
    """The old answers the template still asks, changed by ``overrides``; questions it gained are asked or defaulted."""
    known = {*catalog.question_keys, *(q.context_key for q in catalog.follow_ups)}
    for key in sorted(old.keys() - known):
        print(f"question {key} is gone from the template: its answer '{old[key]}' is dropped")
    kept = {key: value for key, value in old.items() if key in known}
    gained = [key for key in catalog.question_keys if key not in old]
    asked = ask(catalog, gained, kept | overrides) if gained and ask else {}
    answers = resolve(tree, catalog, kept | asked | overrides)
    check_answers(catalog, answers)
    for key in gained:
        if key not in asked and key not in overrides:
            print(f"new question {key}: answered with the default '{answers[key]}'")
    return answers


@dataclass(frozen=True)
class Plan:
    changes: list[Change]
    base_commit: str
    target_commit: str


def prepare(
    repository: Repository,
    record: saved.Record,
    project_dir: Path,
    overrides: dict[str, str],
    ask: AskNewQuestions | None,
    to: str = "HEAD",
    since: str | None = None,
) -> Plan:
    """Render the recorded revision with the saved answers and the target revision with the new ones; decide."""
    base_commit = _base_commit(repository, record, since)
    target_commit = repository.commit(to, "--to")
    if to == "HEAD" and repository.uncommitted_changes():
        print(f"note: {repository.location} has uncommitted changes; updating to its last commit, without them")
    with tempfile.TemporaryDirectory(prefix="mlops-template-update-") as scratch:
        new_tree = repository.export(target_commit, Path(scratch) / "new")
        catalog = load_catalog(new_tree)
        new_answers = _new_answers(new_tree, catalog, record.answers, overrides, ask)
        base_tree = new_tree if base_commit == target_commit else repository.export(base_commit, Path(scratch) / "base")
        base = render(base_tree, record.answers, base_commit[:12])
        unchanged = base_tree is new_tree and new_answers == record.answers
        new = dict(base) if unchanged else render(new_tree, new_answers, target_commit[:12])
        new[saved.ANSWERS_FILE] = saved.stamped(
            new[saved.ANSWERS_FILE], TemplateSource(target_commit, repository.location)
        )
        cruft_state = project_dir / CRUFT_FILE
        if cruft_state.is_file():
            base[CRUFT_FILE] = cruft_state.read_bytes()
            new[CRUFT_FILE] = _cruft_state_at(base[CRUFT_FILE], target_commit, new_answers)
        changes = plan(project_dir, base, new)
        kept = [change.path for change in changes if change.action is Action.KEEP_MODIFIED]
        if kept and GITIGNORE in new:  # the catalog's tool folders are read from the exported tree
            new[GITIGNORE] = with_kept_ignores(new[GITIGNORE], catalog, record.answers, new_answers, kept)
            changes = plan(project_dir, base, new)
    return Plan(changes, base_commit, target_commit)


def _cruft_state_at(state: bytes, commit: str, answers: dict[str, Any]) -> bytes:
    """cruft's record moved to ``commit`` and ``answers``, so a later ``cruft update`` starts where this one ended."""
    document = json.loads(state)
    document["commit"] = commit
    document.setdefault("context", {}).setdefault("cookiecutter", {}).update(answers)
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()  # as cruft writes it


def run_update(
    template: str,
    project_dir: Path,
    overrides: dict[str, str],
    dry_run: bool,
    ask: AskNewQuestions | None = None,
    to: str = "HEAD",
    since: str | None = None,
) -> int:
    """Update ``project_dir`` to revision ``to`` of the template repository ``template`` (a path or URL)."""
    record = saved.read_record(project_dir / saved.ANSWERS_FILE)
    if not dry_run:
        ensure_clean_git_tree(project_dir)
    with open_repository(template, recorded=record.source.location) as repository:
        changes = prepare(repository, record, project_dir, overrides, ask, to, since).changes
    print(("Dry run, nothing written:\n" if dry_run else "") + report(changes, dry_run))
    if not dry_run:
        apply(project_dir, changes)
    if any(c.path == PYPROJECT and c.action in WRITES for c in changes) and (project_dir / LOCK_FILE).is_file():
        print(
            f"\n{PYPROJECT} {'would change' if dry_run else 'changed'} and {LOCK_FILE} still pins the old"
            f" dependencies: refresh it with `make lock` (it reads the package index), then commit it; `make install`"
            " and the image install from the lock and refuse a stale one"
        )
    conflicts = [c.path for c in changes if c.action is Action.CONFLICT]
    if conflicts:
        print(f"\n{len(conflicts)} conflict(s) to resolve by hand: {', '.join(conflicts)}", file=sys.stderr)
        return EXIT_CONFLICTS
    return 0


def check(template: str, project_dir: Path, to: str = "HEAD", since: str | None = None) -> int:
    """Exit status 0 when the project is at revision ``to`` of the template, else 1 with what an update would change."""
    record = saved.read_record(project_dir / saved.ANSWERS_FILE)
    with open_repository(template, recorded=record.source.location) as repository:
        base_commit, target_commit = _base_commit(repository, record, since), repository.commit(to, "--to")
        if base_commit == target_commit:
            print(f"up to date: the project is at template revision {target_commit[:12]}")
            return 0
        changes = prepare(repository, record, project_dir, {}, None, to, since).changes
    print(
        f"the project is at template revision {base_commit[:12]}, the template at {target_commit[:12]};"
        f" `mlops-template update` would change:\n{report(changes, dry_run=True)}"
    )
    return EXIT_OUTDATED
