"""Which template revision a project came from, and the template's tree at any revision.

Generation records the git commit of the template checkout being rendered (one
``git rev-parse``, nothing else, so every bake stays fast and offline). An update
exports the recorded commit and the target commit from the template's repository
and renders each with that revision's own hooks, as cruft and copier do.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mlops_template.errors import TemplateError


class RevisionError(TemplateError):
    """The template repository or a revision in it cannot be used."""


@dataclass(frozen=True)
class TemplateSource:
    """Where a project's template came from: its commit and, where known, its location (path or URL)."""

    commit: str | None = None
    location: str | None = None


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], capture_output=True, text=True, check=False)
    except OSError as error:
        raise RevisionError(f"git is needed to read the template's history: {error.strerror}") from error


def head_commit(root: Path) -> str | None:
    """HEAD of the git checkout whose top level is ``root``; None for any other folder or without git.

    A checkout with uncommitted changes still records HEAD: an update then sees
    those changes as the user's own edits and keeps them, which loses nothing.
    """
    try:
        result = _git("-C", str(root), "rev-parse", "--show-toplevel", "HEAD")
    except RevisionError:
        return None
    lines = result.stdout.splitlines()
    # The top-level check keeps an installed copy inside someone's repository from recording that repository.
    if result.returncode != 0 or len(lines) != 2 or Path(lines[0]).resolve() != root.resolve():
        return None
    return lines[1]


def is_url(location: str) -> bool:
    # cookiecutter.repository imports requests and rich, a fifth of a bake's time in
    # each hook; a folder, which every local render names, needs neither.
    if Path(location).expanduser().is_dir():
        return False
    from cookiecutter.config import BUILTIN_ABBREVIATIONS
    from cookiecutter.repository import is_repo_url

    return bool(is_repo_url(location)) or any(location.startswith(f"{short}:") for short in BUILTIN_ABBREVIATIONS)


def describe(root: Path, given: str) -> TemplateSource:
    """The source of a render of the checkout ``root``, which the user named ``given`` (cookiecutter's ``_template``).

    The location is kept only where it can be found again: a URL, or a local
    repository (cruft renders a temporary clone of the path it was given).
    """
    commit = head_commit(root)
    if given and is_url(given):
        return TemplateSource(commit, given)
    if commit is None:
        return TemplateSource()
    named = Path(given).expanduser() if given else root
    return TemplateSource(commit, str((named if named.is_absolute() and named.is_dir() else root).resolve()))


class Repository:
    """A git repository of the template (a checkout or a bare clone)."""

    def __init__(self, git_dir: Path, location: str) -> None:
        self.git_dir = git_dir
        self.location = location

    def commit(self, revision: str, what: str) -> str:
        """The full commit id of ``revision``; ``what`` says where the revision came from, for the error."""
        result = _git("-C", str(self.git_dir), "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
        if result.returncode != 0:
            raise RevisionError(
                f"template revision {revision} ({what}) is not in the repository {self.location}: fetch it"
                f" there, or pass --template PATH-OR-URL of the repository that has it"
            )
        return result.stdout.strip()

    def uncommitted_changes(self) -> bool:
        result = _git("-C", str(self.git_dir), "status", "--porcelain", "--untracked-files=no")
        return result.returncode == 0 and bool(result.stdout.strip())

    def export(self, commit: str, target: Path) -> Path:
        """The template's files at ``commit``, written to the new folder ``target``."""
        try:
            archive = subprocess.run(
                ["git", "-C", str(self.git_dir), "archive", "--format=tar", commit], capture_output=True, check=False
            )
        except OSError as error:
            raise RevisionError(f"git is needed to read the template's history: {error.strerror}") from error
        if archive.returncode != 0:
            raise RevisionError(f"cannot export template revision {commit}: {archive.stderr.decode(errors='replace')}")
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(target, filter="data")
            else:  # Python before 3.11.4 has no extraction filters; the archive is git's own output
                tar.extractall(target)
        return target


def _local_repository(path: Path, location: str, recorded: str | None) -> Repository:
    bare = _git("-C", str(path), "rev-parse", "--is-bare-repository")
    if bare.returncode == 0 and bare.stdout.strip() == "true":
        return Repository(path, location)
    top = _git("-C", str(path), "rev-parse", "--show-toplevel")
    if top.returncode != 0 or Path(top.stdout.strip()).resolve() != path.resolve():
        origin = f" (the project was generated from {recorded})" if recorded else ""
        raise RevisionError(
            f"{location} is not a git repository of the template (an installed copy has no history), so the"
            f" template cannot be rendered as it was when the project was generated: pass --template PATH-OR-URL"
            f" of the template's git repository{origin}"
        )
    return Repository(path, location)


@contextmanager
def open_repository(location: str, recorded: str | None = None) -> Iterator[Repository]:
    """The repository at ``location``: a local folder is read in place, a URL is cloned to a temporary folder.

    ``recorded`` (the location the project records) is named in the error when ``location`` has no history.
    """
    path = Path(location).expanduser()
    if path.is_dir():
        yield _local_repository(path.resolve(), str(path.resolve()), recorded)
        return
    if not is_url(location):
        raise RevisionError(f"template {location} is neither a folder nor a repository URL")
    from cookiecutter.config import BUILTIN_ABBREVIATIONS
    from cookiecutter.repository import expand_abbreviations

    with tempfile.TemporaryDirectory(prefix="mlops-template-clone-") as scratch:
        clone = Path(scratch) / "template.git"
        url = expand_abbreviations(location, BUILTIN_ABBREVIATIONS).removeprefix("git+")
        result = _git("clone", "--quiet", "--bare", url, str(clone))
        if result.returncode != 0:
            raise RevisionError(f"cannot clone the template from {location}: {_reason(result.stderr)}")
        yield Repository(clone, location)


def _reason(stderr: str) -> str:
    """git's first ``fatal:`` line (the cause; the lines after it are generic advice)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    fatal = next((line for line in lines if line.startswith("fatal: ")), lines[-1] if lines else "git failed")
    return re.sub(r"^fatal: ", "", fatal)
