"""Remove the files owned by tools that were not chosen, using the catalog's ownership data."""

from __future__ import annotations

import shutil
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from mlops_template.catalog import Catalog, Offer


def _patterns(offer: Offer, package_name: str) -> list[str]:
    return [pattern.replace("{package_name}", package_name) for pattern in offer.files]


def owns(offer: Offer, relative_path: str, package_name: str) -> bool:
    """True when ``relative_path`` (posix, from the project root) matches one of the offer's globs.

    ``*`` also matches ``/`` (fnmatch semantics), so ``dags/**`` covers the whole folder.
    """
    return any(fnmatchcase(relative_path, pattern) for pattern in _patterns(offer, package_name))


def unselected_files(catalog: Catalog, answers: dict[str, Any], paths: list[str]) -> list[str]:
    """The paths whose every owner is a selectable tool that ``answers`` did not choose.

    A file owned by no tool belongs to every project; a file owned by two tools
    stays while either of them is chosen.
    """
    chosen = catalog.chosen_offers(answers)
    candidates = [offer for stage in catalog.prompted_stages for offer in stage.selectable if offer.files]
    package_name = str(answers["package_name"])
    removable = []
    for path in paths:
        owners = [offer for offer in candidates if owns(offer, path, package_name)]
        if owners and not any(owner in chosen for owner in owners):
            removable.append(path)
    return removable


def project_files(project_dir: Path) -> list[str]:
    return sorted(path.relative_to(project_dir).as_posix() for path in project_dir.rglob("*") if path.is_file())


def remove_bytecode(project_dir: Path) -> None:
    """Drop ``__pycache__`` folders: pip compiles the template copy inside an installed wheel."""
    for cache in sorted(project_dir.rglob("__pycache__"), reverse=True):
        shutil.rmtree(cache)


def prune(catalog: Catalog, answers: dict[str, Any], project_dir: Path) -> list[str]:
    """Delete unselected tools' files (and folders left empty); return what was removed."""
    remove_bytecode(project_dir)
    removed = unselected_files(catalog, answers, project_files(project_dir))
    for relative in removed:
        (project_dir / relative).unlink()
    folders = sorted({p for p in project_dir.rglob("*") if p.is_dir()}, key=lambda p: len(p.parts), reverse=True)
    for folder in folders:
        if not any(folder.iterdir()):
            folder.rmdir()
    return removed
