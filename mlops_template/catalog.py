"""Load the tool catalog (``catalog/``): the single source of truth for stages, tools,
labels, rules, channels, dependencies and file ownership.

Everything else (``cookiecutter.json``, hook validation, the assembled files,
docs) is derived from the ``Catalog`` built here. ``loader`` reads the files,
``linker`` resolves and checks what refers to what, ``model`` holds the objects;
this module puts them together and is what the rest of the package imports.
"""

from __future__ import annotations

from pathlib import Path

from mlops_template import linker, loader
from mlops_template.errors import CatalogError
from mlops_template.loader import TEMPLATE_ROOT, read_raw
from mlops_template.model import (
    NONE_ID,
    Catalog,
    Channel,
    EnvVar,
    FollowUp,
    LocalService,
    MakeTarget,
    Offer,
    ProjectQuestion,
    Rule,
    Stage,
)

__all__ = [
    "NONE_ID",
    "TEMPLATE_ROOT",
    "Catalog",
    "Channel",
    "EnvVar",
    "FollowUp",
    "LocalService",
    "MakeTarget",
    "Offer",
    "ProjectQuestion",
    "Rule",
    "Stage",
    "load_catalog",
    "read_raw",
]


def load_catalog(root: Path = TEMPLATE_ROOT) -> Catalog:
    """Build the catalog from ``root/catalog``; raise ``CatalogError`` if inconsistent."""
    raw = read_raw(root)
    project = raw.pop(loader.PROJECT_FILE)
    stage_specs = raw.pop(loader.STAGES_FILE)["stages"]
    channels = loader.channels(raw.pop(loader.CHANNELS_FILE))
    for path, tool in raw.items():
        if tool.get("id") != Path(path).parent.name:
            raise CatalogError(f"{path}: id '{tool.get('id')}' must equal its folder name")
    offers = loader.tool_offers(list(raw.values()), root / "catalog" / "tools")
    unknown = set(offers) - {spec["id"] for spec in stage_specs}
    if unknown:
        raise CatalogError(f"tools name unknown stages: {sorted(unknown)}")
    parts = loader.shared_parts(root)
    stages = tuple(
        linker.build_stage(spec, linker.resolve_includes(linker.resolve_extends(offers.get(spec["id"], [])), parts))
        for spec in stage_specs
    )
    linker.check_rules(stages)
    linker.check_channels(stages, channels)
    return Catalog(
        stages=stages,
        project_questions=loader.project_questions(project),
        channels=channels,
        base_packages=tuple(project["packages"]),
        base_dev_packages=tuple(project["dev_packages"]),
        base_env=tuple(EnvVar(**var) for var in project["env"]),
        base_scripts=dict(project["scripts"]),
        base_gitignore=tuple(project["gitignore"]),
        base_pre_commit=tuple(project["pre_commit"]),
        pyproject_tools=project["pyproject_tools"],
        version=loader.template_version(root),
        root=root,
    )
