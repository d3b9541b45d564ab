"""Load the tool catalog (``catalog/*.yaml``) into typed, read-only objects.

The catalog is the single source of truth for stages, tools, labels,
compatibility rules, dependencies and file ownership. Everything else
(``cookiecutter.json``, hook validation, pruning, docs) is derived from the
objects built here. Only the standard library and PyYAML are used, because the
hooks import this module inside whatever Python runs cookiecutter.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from mlops_template.errors import CatalogError

NONE_ID = "none"
# A wheel carries a copy of the template (see setup.py); a checkout is its own template.
_PACKAGED_TEMPLATE = Path(__file__).resolve().parent / "template"
TEMPLATE_ROOT = (
    _PACKAGED_TEMPLATE
    if (_PACKAGED_TEMPLATE / "cookiecutter.json").is_file()
    else Path(__file__).resolve().parent.parent
)


@dataclass(frozen=True)
class FollowUp:
    """A question asked only when its tool is chosen.

    Plain cookiecutter cannot ask conditionally, so it lives in cookiecutter.json
    as a rendered-but-never-prompted ``__key`` variable that keeps its default
    unless set (``mlops-template`` asks it; ``cookiecutter ... __key=value`` sets it).
    """

    key: str
    prompt: str
    default: str
    pattern: str
    hint: str

    @property
    def context_key(self) -> str:
        return f"__{self.key}"


@dataclass(frozen=True)
class Offer:
    """What one tool brings to one stage."""

    tool_id: str
    stage_id: str
    label: str
    description: str
    link: str
    license: str
    kind: str
    selectable: bool
    packages: tuple[str, ...] = ()
    extra_packages: tuple[str, ...] = ()
    dev_packages: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    requires: dict[str, tuple[str, ...]] = field(default_factory=dict)
    conflicts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    questions: tuple[FollowUp, ...] = ()


@dataclass(frozen=True)
class Stage:
    """One MLOps stage and the tools offered for it, default first."""

    id: str
    label: str
    question: str
    description: str
    offers: tuple[Offer, ...]

    @property
    def selectable(self) -> tuple[Offer, ...]:
        return tuple(offer for offer in self.offers if offer.selectable)

    @property
    def prompted(self) -> bool:
        """A stage is asked about once at least one of its tools is selectable."""
        return bool(self.selectable)

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(offer.tool_id for offer in self.selectable)

    @property
    def default(self) -> str:
        return self.choices[0]

    def offer(self, tool_id: str) -> Offer | None:
        return next((offer for offer in self.offers if offer.tool_id == tool_id), None)


@dataclass(frozen=True)
class ProjectQuestion:
    """A project-level question (name, slug, licence, …) that is not a stage."""

    key: str
    prompt: str
    default: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Catalog:
    stages: tuple[Stage, ...]
    project_questions: tuple[ProjectQuestion, ...]
    base_packages: tuple[str, ...]
    base_dev_packages: tuple[str, ...]
    version: str

    @cached_property
    def _by_id(self) -> dict[str, Stage]:
        return {stage.id: stage for stage in self.stages}

    def stage(self, stage_id: str) -> Stage:
        try:
            return self._by_id[stage_id]
        except KeyError:
            known = ", ".join(stage.id for stage in self.stages)
            raise CatalogError(f"unknown stage '{stage_id}': choose one of {known}") from None

    @property
    def prompted_stages(self) -> tuple[Stage, ...]:
        return tuple(stage for stage in self.stages if stage.prompted)

    @property
    def question_keys(self) -> tuple[str, ...]:
        """Every answer a person gives, in asking order: project questions, then stages."""
        return tuple(q.key for q in self.project_questions) + tuple(s.id for s in self.prompted_stages)

    @property
    def follow_ups(self) -> tuple[FollowUp, ...]:
        return tuple(q for stage in self.prompted_stages for offer in stage.selectable for q in offer.questions)

    def chosen_offers(self, answers: dict[str, Any]) -> list[Offer]:
        """The offers picked by ``answers`` (stages answered ``none`` pick nothing)."""
        chosen = []
        for stage in self.prompted_stages:
            offer = stage.offer(str(answers.get(stage.id, stage.default)))
            if offer is not None and offer.selectable:
                chosen.append(offer)
        return chosen


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CatalogError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: expected a mapping at the top level")
    return data


def read_raw(root: Path = TEMPLATE_ROOT) -> dict[str, Any]:
    """The catalog files as parsed YAML, keyed by path relative to ``root``."""
    catalog_dir = root / "catalog"
    paths = [catalog_dir / "project.yaml", catalog_dir / "stages.yaml"]
    paths += sorted((catalog_dir / "tools").glob("*.yaml"))
    return {str(path.relative_to(root)): _read_yaml(path) for path in paths}


def _none_offer(stage_id: str, spec: dict[str, str]) -> Offer:
    return Offer(
        tool_id=NONE_ID,
        stage_id=stage_id,
        label=spec["label"],
        description=spec["description"],
        link="",
        license="",
        kind="none",
        selectable=True,
    )


def _tool_offers(tools: list[dict[str, Any]]) -> dict[str, list[Offer]]:
    offers: dict[str, list[Offer]] = {}
    seen: set[str] = set()
    for tool in tools:
        if tool["id"] in seen:
            raise CatalogError(f"tool '{tool['id']}' is declared twice")
        seen.add(tool["id"])
        for stage_id, spec in tool["stages"].items():
            offers.setdefault(stage_id, []).append(
                Offer(
                    tool_id=tool["id"],
                    stage_id=stage_id,
                    label=spec.get("label", tool["label"]),
                    description=tool["description"],
                    link=tool["link"],
                    license=tool["license"],
                    kind=tool["kind"],
                    selectable=spec["selectable"],
                    packages=tuple(spec.get("packages", ())),
                    extra_packages=tuple(spec.get("extra_packages", ())),
                    dev_packages=tuple(spec.get("dev_packages", ())),
                    services=tuple(spec.get("services", ())),
                    files=tuple(spec.get("files", ())),
                    requires={k: tuple(v) for k, v in spec.get("requires", {}).items()},
                    conflicts={k: tuple(v) for k, v in spec.get("conflicts", {}).items()},
                    questions=tuple(FollowUp(**question) for question in spec.get("questions", ())),
                )
            )
    return offers


def _build_stage(spec: dict[str, Any], offers: list[Offer]) -> Stage:
    stage_id = spec["id"]
    if "none" in spec:
        offers = [*offers, _none_offer(stage_id, spec["none"])]
    selectable = [offer.tool_id for offer in offers if offer.selectable]
    default = spec.get("default")
    if selectable and default not in selectable:
        raise CatalogError(f"stage '{stage_id}': default '{default}' must be one of its selectable tools {selectable}")
    if not selectable and default is not None:
        raise CatalogError(f"stage '{stage_id}' has a default but no selectable tool")
    # Default first: cookiecutter treats the first choice as the default.
    offers.sort(key=lambda offer: offer.tool_id != default)
    return Stage(
        id=stage_id,
        label=spec["label"],
        question=spec["question"],
        description=spec["description"],
        offers=tuple(offers),
    )


def _check_rules(stages: tuple[Stage, ...]) -> None:
    choices = {stage.id: set(stage.choices) for stage in stages}
    for stage in stages:
        for offer in stage.offers:
            for rule in ("requires", "conflicts"):
                for other_stage, tool_ids in getattr(offer, rule).items():
                    unknown = set(tool_ids) - choices.get(other_stage, set())
                    if other_stage not in choices or unknown:
                        raise CatalogError(
                            f"{offer.tool_id} in {stage.id}: '{rule}' names {other_stage}={sorted(unknown)}"
                            " which is not a selectable choice"
                        )


def load_catalog(root: Path = TEMPLATE_ROOT) -> Catalog:
    """Build the catalog from ``root/catalog``; raise ``CatalogError`` if inconsistent."""
    raw = read_raw(root)
    project = raw.pop("catalog/project.yaml")
    stage_specs = raw.pop("catalog/stages.yaml")["stages"]
    offers = _tool_offers([tool for data in raw.values() for tool in data["tools"]])
    unknown = set(offers) - {spec["id"] for spec in stage_specs}
    if unknown:
        raise CatalogError(f"tools name unknown stages: {sorted(unknown)}")
    stages = tuple(_build_stage(spec, offers.get(spec["id"], [])) for spec in stage_specs)
    _check_rules(stages)
    return Catalog(
        stages=stages,
        project_questions=tuple(
            ProjectQuestion(
                key=q["key"],
                prompt=q["prompt"],
                default=q["default"],
                choices=tuple(q.get("choices", ())),
            )
            for q in project["questions"]
        ),
        base_packages=tuple(project["packages"]),
        base_dev_packages=tuple(project["dev_packages"]),
        version=_template_version(root),
    )


def _template_version(root: Path) -> str:
    pyproject = root / "pyproject.toml"
    with pyproject.open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])
