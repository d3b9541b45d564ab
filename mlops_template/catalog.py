"""Load the tool catalog (``catalog/``): the single source of truth for stages, tools,
labels, rules, channels, dependencies and file ownership.

Everything else (``cookiecutter.json``, hook validation, the assembled files,
docs) is derived from the ``Catalog`` built here. ``loader`` reads the files,
``linker`` resolves and checks what refers to what, ``model`` holds the objects;
this module puts them together and is what the rest of the package imports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mlops_template import linker, loader
from mlops_template.errors import CatalogError
from mlops_template.loader import TEMPLATE_ROOT, read_raw
from mlops_template.model import (
    NONE_ID,
    SHARED_DIR,
    Catalog,
    Channel,
    EnvVar,
    Family,
    FlowStep,
    FollowUp,
    LocalService,
    MakeTarget,
    Offer,
    Preset,
    ProjectQuestion,
    Rule,
    Stage,
)

__all__ = [
    "NONE_ID",
    "SHARED_DIR",
    "TEMPLATE_ROOT",
    "Catalog",
    "Channel",
    "EnvVar",
    "Family",
    "FlowStep",
    "FollowUp",
    "LocalService",
    "MakeTarget",
    "Offer",
    "Preset",
    "ProjectQuestion",
    "Rule",
    "Stage",
    "load_catalog",
    "read_raw",
]


def load_catalog(root: Path = TEMPLATE_ROOT, raw: dict[str, Any] | None = None) -> Catalog:
    """Build the catalog from ``root/catalog``; raise ``CatalogError`` if inconsistent.

    ``raw`` is the catalog files as ``read_raw(root)`` returns them, when they were
    read already (it is consumed); None reads them.
    """
    raw = read_raw(root) if raw is None else raw
    project = raw.pop(loader.PROJECT_FILE)
    stages_file = raw.pop(loader.STAGES_FILE)
    stage_specs = stages_file["stages"]
    channels = loader.channels(raw.pop(loader.CHANNELS_FILE))
    presets = loader.presets({path: raw.pop(path) for path in list(raw) if path.startswith(loader.PRESETS_DIR)})
    for path, tool in raw.items():
        if tool.get("id") != Path(path).parent.name:
            raise CatalogError(f"{path}: id '{tool.get('id')}' must equal its folder name")
    kit_paths = [path for path in raw if path.startswith(loader.KITS_DIR)]
    kits = {kit.tool_id: kit for kit in (loader.kit(raw.pop(path), root / loader.KITS_DIR) for path in kit_paths)}
    offers = loader.tool_offers(list(raw.values()), root / "catalog" / "tools")
    unknown = set(offers) - {spec["id"] for spec in stage_specs}
    if unknown:
        raise CatalogError(f"tools name unknown stages: {sorted(unknown)}")
    stages = tuple(
        linker.build_stage(spec, linker.resolve_extends(linker.resolve_uses(offers.get(spec["id"], []), kits)))
        for spec in stage_specs
    )
    linker.check_rules(stages)
    linker.check_channels(stages, channels)
    families = loader.families(stages_file)
    flow = loader.flow(stages_file)
    linker.check_families(stages, families)
    linker.check_flow(stages, flow)
    linker.check_presets(stages, presets)
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
        base_untyped_imports=tuple(project.get("untyped_imports", ())),
        pyproject_tools=project["pyproject_tools"],
        version=loader.template_version(root),
        root=root,
        families=families,
        flow=flow,
        presets=presets,
    )
