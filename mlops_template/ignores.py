"""Ignore lines an update keeps for the files of tools no longer chosen that the user modified.

Such files stay in the project (the update never discards work), and so must the
``.gitignore`` lines their tool contributed: a kept pipeline still writes its
compiled output, which would otherwise show up as untracked.
"""

from __future__ import annotations

from typing import Any

from mlops_template.catalog import Catalog
from mlops_template.render import environment, render_text

GITIGNORE = ".gitignore"
KEPT_HEADER = "# Still needed by files you modified of tools no longer chosen"


def needed_lines(catalog: Catalog, old: dict[str, Any], new: dict[str, Any], kept: list[str]) -> list[str]:
    """The ignore lines of every dropped tool (chosen by ``old``, not by ``new``) that owns a ``kept`` path."""
    env = environment(old)
    still_chosen = {(offer.tool_id, offer.stage_id) for offer in catalog.chosen_offers(new)}
    lines: list[str] = []
    for offer in catalog.chosen_offers(old):
        if (offer.tool_id, offer.stage_id) in still_chosen:
            continue
        owned = {
            render_text(env, path.relative_to(folder).as_posix(), {})
            for folder in offer.files_dirs
            if folder.is_dir()
            for path in folder.rglob("*")
            if path.is_file()
        }
        if owned.intersection(kept):
            lines += [render_text(env, line, {}) for line in offer.gitignore]
    return list(dict.fromkeys(lines))


def with_kept_ignores(
    content: bytes, catalog: Catalog, old: dict[str, Any], new: dict[str, Any], kept: list[str]
) -> bytes:
    """The new ``.gitignore`` plus the lines the ``kept`` files still need, under a header saying why."""
    present = set(content.decode("utf-8").splitlines())
    missing = [line for line in needed_lines(catalog, old, new, kept) if line not in present]
    if not missing:
        return content
    return content + "\n".join(["", KEPT_HEADER, *missing, ""]).encode("utf-8")
