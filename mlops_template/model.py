"""The catalog's objects: stages, the tools' offers to them, their rules and their channels.

Plain frozen dataclasses with no I/O: ``loader`` builds them from YAML,
``linker`` resolves what refers to what, and everything else only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from mlops_template.errors import CatalogError, UnknownPresetError

NONE_ID = "none"
# The folder of a tool whose files several of its offers use, generated once for all of them.
SHARED_DIR = "shared"


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
class EnvVar:
    """A setting the tool reads, written to ``.env.example`` with its default and why it exists."""

    name: str
    default: str
    comment: str


@dataclass(frozen=True)
class MakeTarget:
    """A Makefile target the tool adds; ``exports`` become target-specific variables."""

    target: str
    help: str
    run: tuple[str, ...]
    exports: dict[str, str] = field(default_factory=dict)
    ci: bool = False
    """Run by the generated CI after the tests (a build, say), through ``make``."""


@dataclass(frozen=True)
class LocalService:
    """A server the project runs on 127.0.0.1 in place of a cloud service (``make services-up``).

    ``run`` is one command, started in the background. The server is up once
    ``port`` accepts TCP connections and, when ``ready`` is a path, answers
    HTTP 200 on it (brokers and databases speak no HTTP: leave ``ready`` empty).
    """

    name: str
    help: str
    run: str
    port: int
    ready: str = ""


@dataclass(frozen=True)
class Rule:
    """A condition on the rest of the stack, with the sentence that tells the user the fix.

    Either a stage rule (``stage_id`` answered with one of ``tool_ids``) or a
    capability rule (some chosen tool has ``capability``: provides that channel
    or declares it), so a rule says what it needs rather than who provides it.
    """

    message: str
    stage_id: str = ""
    tool_ids: tuple[str, ...] = ()
    capability: str = ""

    def describe(self) -> str:
        if self.capability:
            return f"a tool with {self.capability}"
        return f"{self.stage_id} = {' or '.join(self.tool_ids)}"


@dataclass(frozen=True)
class Channel:
    """A named value one tool provides and others consume (``catalog/channels.yaml``).

    ``one``: at most one chosen tool provides it (its value, or None);
    ``many``: every chosen provider adds its value (a list, in catalog order).
    """

    name: str
    cardinality: str
    description: str
    schema: dict[str, Any]


@dataclass(frozen=True)
class Offer:
    """What one tool brings to one stage: its files (``files_dir``) and its contributions to shared files.

    String contributions may use Jinja over the answers (``{{ cookiecutter.package_name }}``);
    they are rendered when the project is generated.
    """

    tool_id: str
    stage_id: str
    label: str
    description: str
    link: str
    license: str
    kind: str
    selectable: bool
    files_dir: Path
    packages: tuple[str, ...] = ()
    extra_packages: tuple[str, ...] = ()
    dev_packages: tuple[str, ...] = ()
    env: tuple[EnvVar, ...] = ()
    make: tuple[MakeTarget, ...] = ()
    scripts: dict[str, str] = field(default_factory=dict)
    gitignore: tuple[str, ...] = ()
    readme: str = ""
    layout: dict[str, str] = field(default_factory=dict)
    provides: dict[str, Any] = field(default_factory=dict)
    """Channel name -> the value this offer puts on it (``channels.yaml`` declares each channel)."""
    consumes: tuple[str, ...] = ()
    """Channels this offer's files or contributions read (``stack.channels.<name>``)."""
    capabilities: tuple[str, ...] = ()
    """What the offer can do beyond the channels it provides, for other tools' capability rules."""
    verbatim: tuple[str, ...] = ()
    """Globs (relative to the offer's folder) of files copied untouched instead of rendered."""
    foreign_templates: tuple[str, ...] = ()
    """Globs (project paths; ``*`` matches anything) of files in the tool's own template language (Helm's
    Go templates): not YAML until that tool renders them, so the project's YAML checks skip them and the
    tool's own linter checks them."""
    published_schemas: dict[str, str] = field(default_factory=dict)
    """Project path -> the published JSON Schema it must match (check-jsonschema's builtin name, such as
    ``vendor.circle-ci``): the template's fast tests check every chosen offer's files against theirs."""
    only_with: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Capability -> globs (relative to the offer's folder) of files written only when a chosen tool has it:
    a ServiceMonitor only beside Kubernetes manifests, say."""
    compose: dict[str, Any] = field(default_factory=dict)
    """Services (and volumes) for the team stack in ``compose.yaml``; ``project_env`` goes to the project's service."""
    local_services: tuple[LocalService, ...] = ()
    requires: tuple[Rule, ...] = ()
    conflicts: tuple[Rule, ...] = ()
    questions: tuple[FollowUp, ...] = ()
    pre_commit: tuple[dict[str, Any], ...] = ()
    """Hooks for the project's ``.pre-commit-config.yaml`` (local, ``language: system``)."""
    warning_filters: tuple[str, ...] = ()
    """pytest ``filterwarnings`` lines silencing the tool's libraries' own known warnings in the project's tests."""
    extends: tuple[str, ...] = ()
    """The tools of the same stage this offer builds on, nearest first: their files and
    contributions come with it."""
    uses: tuple[str, ...] = ()
    """Kits (``catalog/kits/<id>/``) whose files and contributions come with this offer: a block
    several tools need (a local stand-in server and its test plugin) is written once."""
    base_dirs: tuple[Path, ...] = ()
    untyped_imports: tuple[str, ...] = ()
    dependency_overrides: tuple[str, ...] = ()
    """Requirements that replace every other requirement on their package when uv resolves the project
    (``[tool.uv] override-dependencies``): for a package installed only for the files it carries, whose own
    pins would clash with another tool's."""
    """Packages this offer's modules import that ship no type information: mypy skips only those."""
    shared_dir: Path | None = None
    """``catalog/tools/<tool>/shared/``, when this offer uses the modules the tool's offers share."""

    @property
    def files_dirs(self) -> tuple[Path, ...]:
        """Every folder rendered for this offer: the tool's shared one, the ones it extends, its own last."""
        shared = (self.shared_dir,) if self.shared_dir else ()
        return (*shared, *self.base_dirs, self.files_dir)

    def has(self, capability: str) -> bool:
        return capability in self.provides or capability in self.capabilities


@dataclass(frozen=True)
class Stage:
    """One MLOps stage and the tools offered for it, default first."""

    id: str
    label: str
    question: str
    description: str
    offers: tuple[Offer, ...]
    interface: str = ""
    """The module (path in the project) each selectable tool implements; empty when the stage has none."""
    family: str = ""
    """The family (``Family.id``) the stage is asked with after a preset."""

    @property
    def selectable(self) -> tuple[Offer, ...]:
        return tuple(offer for offer in self.offers if offer.selectable)

    @property
    def prompted(self) -> bool:
        """A stage is asked about once it offers a choice: two selectable tools (``none`` counts).

        A stage with one selectable tool is not asked; that tool is simply part of every project.
        """
        return len(self.selectable) > 1

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(offer.tool_id for offer in self.selectable)

    @property
    def default(self) -> str:
        return self.choices[0]

    def offer(self, tool_id: str) -> Offer | None:
        return next((offer for offer in self.offers if offer.tool_id == tool_id), None)


@dataclass(frozen=True)
class Family:
    """A group of stages (data, training, ...) that ``mlops-template new`` offers to change after a preset."""

    id: str
    label: str
    description: str


@dataclass(frozen=True)
class FlowStep:
    """One box group of the stack diagram: the chosen tools of ``stage_ids``, left to right."""

    id: str
    label: str
    stage_ids: tuple[str, ...]
    built_in: str = ""
    """A part every project has for this step, drawn whatever the tools."""
    returns_to: str = ""
    """An earlier step this one loops back to."""


@dataclass(frozen=True)
class Preset:
    """A known platform to start from: the tool of each stage that differs from its default."""

    id: str
    label: str
    description: str
    stages: dict[str, str]


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
    channels: dict[str, Channel]
    base_packages: tuple[str, ...]
    base_dev_packages: tuple[str, ...]
    base_env: tuple[EnvVar, ...]
    base_scripts: dict[str, str]
    base_gitignore: tuple[str, ...]
    base_pre_commit: tuple[dict[str, Any], ...]
    base_untyped_imports: tuple[str, ...]
    pyproject_tools: dict[str, Any]
    version: str
    root: Path
    """The template checkout the catalog was read from."""
    families: tuple[Family, ...] = ()
    flow: tuple[FlowStep, ...] = ()
    presets: tuple[Preset, ...] = ()
    """In their declared order; the first is the default."""

    def preset(self, preset_id: str) -> Preset:
        found = next((preset for preset in self.presets if preset.id == preset_id), None)
        if found is None:
            known = ", ".join(preset.id for preset in self.presets)
            raise UnknownPresetError(f"unknown preset '{preset_id}': choose one of {known}")
        return found

    def preset_answers(self, preset_id: str) -> dict[str, str]:
        """Every prompted stage's tool in the preset: its own choices, the stage's default elsewhere."""
        chosen = self.preset(preset_id).stages
        return {stage.id: chosen.get(stage.id, stage.default) for stage in self.prompted_stages}

    def family_stages(self, family_id: str) -> tuple[Stage, ...]:
        return tuple(stage for stage in self.prompted_stages if stage.family == family_id)

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
    def active_stages(self) -> tuple[Stage, ...]:
        """The stages every project has an implementation of: asked, or with their one tool."""
        return tuple(stage for stage in self.stages if stage.selectable)

    @property
    def question_keys(self) -> tuple[str, ...]:
        """Every answer a person gives, in asking order: project questions, then stages."""
        return tuple(q.key for q in self.project_questions) + tuple(s.id for s in self.prompted_stages)

    @property
    def follow_ups(self) -> tuple[FollowUp, ...]:
        """Each follow-up question once, though tools that extend its tool ask it too."""
        questions = (q for stage in self.active_stages for offer in stage.selectable for q in offer.questions)
        return tuple({q.key: q for q in questions}.values())

    def chosen_offers(self, answers: dict[str, Any]) -> list[Offer]:
        """The offers picked by ``answers`` (stages answered ``none`` pick nothing)."""
        chosen = []
        for stage in self.active_stages:
            offer = stage.offer(str(answers.get(stage.id, stage.default)))
            if offer is not None and offer.selectable:
                chosen.append(offer)
        return chosen

    def capable(self, capability: str) -> tuple[Offer, ...]:
        """The selectable offers that have ``capability``."""
        return tuple(offer for stage in self.active_stages for offer in stage.selectable if offer.has(capability))
