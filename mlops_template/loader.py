"""Read the catalog's YAML files into the model's objects, one file at a time.

What refers to what (a tool extending another, rules naming tools or
capabilities, channels) is checked afterwards by ``linker``. Only the
standard library and PyYAML are used: the hooks import this inside whatever
Python runs cookiecutter.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from mlops_template.errors import CatalogError
from mlops_template.model import (
    SHARED_DIR,
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
)

# The C loader, when PyYAML has it, reads the catalog's ~80 files several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PROJECT_FILE = "catalog/project.yaml"
STAGES_FILE = "catalog/stages.yaml"
CHANNELS_FILE = "catalog/channels.yaml"
KITS_DIR = "catalog/kits"
PRESETS_DIR = "catalog/presets"
# A wheel carries a copy of the template (see setup.py); a checkout is its own template.
_PACKAGED_TEMPLATE = Path(__file__).resolve().parent / "template"
TEMPLATE_ROOT = (
    _PACKAGED_TEMPLATE
    if (_PACKAGED_TEMPLATE / "cookiecutter.json").is_file()
    else Path(__file__).resolve().parent.parent
)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as error:
        raise CatalogError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: expected a mapping at the top level")
    return data


def read_raw(root: Path = TEMPLATE_ROOT) -> dict[str, Any]:
    """The catalog files as parsed YAML, keyed by path relative to ``root``."""
    paths = [root / PROJECT_FILE, root / STAGES_FILE, root / CHANNELS_FILE]
    paths += sorted((root / "catalog" / "tools").glob("*/tool.yaml"))
    paths += sorted((root / KITS_DIR).glob("*/kit.yaml"))
    paths += sorted((root / PRESETS_DIR).glob("*.yaml"))
    return {path.relative_to(root).as_posix(): _read_yaml(path) for path in paths}


def _rule(spec: dict[str, Any]) -> Rule:
    return Rule(
        message=spec["message"],
        stage_id=spec.get("stage", ""),
        tool_ids=tuple(spec.get("tools", ())),
        capability=spec.get("capability", ""),
    )


def _make_target(spec: dict[str, Any]) -> MakeTarget:
    return MakeTarget(
        target=spec["target"],
        help=spec["help"],
        run=tuple(spec["run"]),
        exports=dict(spec.get("exports", {})),
        ci=spec.get("ci", False),
    )


def offer(tool: dict[str, Any], stage_id: str, spec: dict[str, Any], tools_dir: Path) -> Offer:
    return Offer(
        tool_id=tool["id"],
        stage_id=stage_id,
        label=spec.get("label", tool["label"]),
        description=spec.get("description", tool["description"]),
        link=tool["link"],
        license=tool["license"],
        kind=tool["kind"],
        selectable=spec["selectable"],
        files_dir=tools_dir / tool["id"] / stage_id,
        packages=tuple(spec.get("packages", ())),
        extra_packages=tuple(spec.get("extra_packages", ())),
        dev_packages=tuple(spec.get("dev_packages", ())),
        env=tuple(EnvVar(**var) for var in spec.get("env", ())),
        make=tuple(_make_target(target) for target in spec.get("make", ())),
        scripts=dict(spec.get("scripts", {})),
        gitignore=tuple(spec.get("gitignore", ())),
        readme=spec.get("readme", ""),
        layout=dict(spec.get("layout", {})),
        provides=dict(spec.get("provides", {})),
        consumes=tuple(spec.get("consumes", ())),
        capabilities=tuple(spec.get("capabilities", ())),
        verbatim=tuple(spec.get("verbatim", ())),
        foreign_templates=tuple(spec.get("foreign_templates", ())),
        published_schemas=dict(spec.get("published_schemas", {})),
        only_with={capability: tuple(globs) for capability, globs in spec.get("only_with", {}).items()},
        compose=dict(spec.get("compose", {})),
        local_services=tuple(LocalService(**service) for service in spec.get("local_services", ())),
        requires=tuple(map(_rule, spec.get("requires", ()))),
        conflicts=tuple(map(_rule, spec.get("conflicts", ()))),
        questions=tuple(FollowUp(**question) for question in spec.get("questions", ())),
        pre_commit=tuple(spec.get("pre_commit", ())),
        warning_filters=tuple(spec.get("warning_filters", ())),
        extends=(spec["extends"],) if "extends" in spec else (),
        untyped_imports=tuple(spec.get("untyped_imports", ())),
        dependency_overrides=tuple(spec.get("dependency_overrides", ())),
        shared_dir=tools_dir / tool["id"] / SHARED_DIR if spec.get("shared_files") else None,
        uses=tuple(spec.get("uses", ())),
    )


def kit(spec: dict[str, Any], kits_dir: Path) -> Offer:
    """A kit as an offer of no stage: its ``files/`` and its contributions, for the offers that use it."""
    tool = {"id": spec["id"], "label": spec["id"], "description": spec["description"]}
    tool |= {"link": "", "license": "", "kind": "open_source"}
    kit_offer = offer(tool, "", spec["contributes"] | {"selectable": False}, kits_dir)
    return replace(kit_offer, files_dir=kits_dir / spec["id"] / "files")


def tool_offers(tools: list[dict[str, Any]], tools_dir: Path) -> dict[str, list[Offer]]:
    """Every tool's offers, grouped by stage id."""
    offers: dict[str, list[Offer]] = {}
    for tool in tools:
        for stage_id, spec in tool["stages"].items():
            offers.setdefault(stage_id, []).append(offer(tool, stage_id, spec, tools_dir))
    return offers


def channels(spec: dict[str, Any]) -> dict[str, Channel]:
    return {
        name: Channel(name=name, cardinality=c["cardinality"], description=c["description"], schema=c["schema"])
        for name, c in spec["channels"].items()
    }


def project_questions(project: dict[str, Any]) -> tuple[ProjectQuestion, ...]:
    return tuple(
        ProjectQuestion(key=q["key"], prompt=q["prompt"], default=q["default"], choices=tuple(q.get("choices", ())))
        for q in project["questions"]
    )


def template_version(root: Path) -> str:
    with (root / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def families(spec: dict[str, Any]) -> tuple[Family, ...]:
    return tuple(Family(id=f["id"], label=f["label"], description=f["description"]) for f in spec["families"])


def flow(spec: dict[str, Any]) -> tuple[FlowStep, ...]:
    return tuple(
        FlowStep(
            id=step["id"],
            label=step["label"],
            stage_ids=tuple(step["stages"]),
            built_in=step.get("built_in", ""),
            returns_to=step.get("returns_to", ""),
        )
        for step in spec["flow"]
    )


def presets(specs: dict[str, dict[str, Any]]) -> tuple[Preset, ...]:
    """The presets (``catalog/presets/<id>.yaml``, keyed by path) in their declared order."""
    for path, spec in specs.items():
        if spec.get("id") != Path(path).stem:
            raise CatalogError(f"{path}: id '{spec.get('id')}' must equal the file's name")
    ordered = sorted(specs.values(), key=lambda spec: spec["order"])
    return tuple(
        Preset(id=spec["id"], label=spec["label"], description=spec["description"], stages=dict(spec["stages"]))
        for spec in ordered
    )
