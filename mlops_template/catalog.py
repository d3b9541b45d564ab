"""Load the tool catalog (``catalog/*.yaml``) into typed, read-only objects.

The catalog is the single source of truth for stages, tools, labels,
compatibility rules, dependencies and file ownership. Everything else
(``cookiecutter.json``, hook validation, pruning, docs) is derived from the
objects built here. Only the standard library and PyYAML are used, because the
hooks import this module inside whatever Python runs cookiecutter.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from mlops_template.errors import CatalogError

NONE_ID = "none"
# The folder of a tool whose files several of its offers use, generated once for all of them.
SHARED_DIR = "shared"
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

    ``run`` is one command, started in the background; ``ready`` is the path
    that answers HTTP 200 on ``port`` once the server serves.
    """

    name: str
    help: str
    run: str
    port: int
    ready: str


@dataclass(frozen=True)
class Rule:
    """``requires``/``conflicts`` on another stage, with the sentence that tells the user the fix."""

    stage_id: str
    tool_ids: tuple[str, ...]
    message: str


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
    services: tuple[str, ...] = ()
    env: tuple[EnvVar, ...] = ()
    make: tuple[MakeTarget, ...] = ()
    scripts: dict[str, str] = field(default_factory=dict)
    gitignore: tuple[str, ...] = ()
    readme: str = ""
    layout: dict[str, str] = field(default_factory=dict)
    serve: dict[str, Any] = field(default_factory=dict)
    compose: dict[str, Any] = field(default_factory=dict)
    """Services (and volumes) for the team stack in ``compose.yaml``; ``project_env`` goes to the project's service."""
    local_services: tuple[LocalService, ...] = ()
    requires: tuple[Rule, ...] = ()
    conflicts: tuple[Rule, ...] = ()
    questions: tuple[FollowUp, ...] = ()
    pre_commit: tuple[dict[str, Any], ...] = ()
    """Hooks for the project's ``.pre-commit-config.yaml`` (local, ``language: system``)."""
    extends: tuple[str, ...] = ()
    """The tools of the same stage this offer builds on, nearest first: their files and
    contributions come with it, and a rule that names one of them is met by this tool too."""
    base_dirs: tuple[Path, ...] = ()
    untyped_imports: tuple[str, ...] = ()
    """Packages this offer's modules import that ship no type information: mypy skips only those."""
    shared_dir: Path | None = None
    """``catalog/tools/<tool>/shared/``, when this offer uses the modules the tool's offers share."""

    @property
    def files_dirs(self) -> tuple[Path, ...]:
        """Every folder rendered for this offer: the tool's shared one, the ones it extends, its own last."""
        shared = (self.shared_dir,) if self.shared_dir else ()
        return (*shared, *self.base_dirs, self.files_dir)


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
    base_env: tuple[EnvVar, ...]
    base_scripts: dict[str, str]
    base_gitignore: tuple[str, ...]
    base_pre_commit: tuple[dict[str, Any], ...]
    base_untyped_imports: tuple[str, ...]
    pyproject_tools: dict[str, Any]
    version: str
    root: Path
    """The template checkout the catalog was read from."""

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
        """Each follow-up question once, though tools that extend its tool ask it too."""
        questions = (q for stage in self.prompted_stages for offer in stage.selectable for q in offer.questions)
        return tuple({q.key: q for q in questions}.values())

    def chosen_offers(self, answers: dict[str, Any]) -> list[Offer]:
        """The offers picked by ``answers`` (stages answered ``none`` pick nothing)."""
        chosen = []
        for stage in self.prompted_stages:
            offer = stage.offer(str(answers.get(stage.id, stage.default)))
            if offer is not None and offer.selectable:
                chosen.append(offer)
        return chosen


# The C loader, when PyYAML has it, reads the catalog's ~80 files several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
    catalog_dir = root / "catalog"
    paths = [catalog_dir / "project.yaml", catalog_dir / "stages.yaml"]
    paths += sorted((catalog_dir / "tools").glob("*/tool.yaml"))
    return {path.relative_to(root).as_posix(): _read_yaml(path) for path in paths}


def _rules(specs: list[dict[str, Any]]) -> tuple[Rule, ...]:
    return tuple(Rule(stage_id=s["stage"], tool_ids=tuple(s["tools"]), message=s["message"]) for s in specs)


def _offer(tool: dict[str, Any], stage_id: str, spec: dict[str, Any], tools_dir: Path) -> Offer:
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
        services=tuple(spec.get("services", ())),
        env=tuple(EnvVar(**var) for var in spec.get("env", ())),
        make=tuple(
            MakeTarget(
                target=t["target"],
                help=t["help"],
                run=tuple(t["run"]),
                exports=dict(t.get("exports", {})),
                ci=t.get("ci", False),
            )
            for t in spec.get("make", ())
        ),
        scripts=dict(spec.get("scripts", {})),
        gitignore=tuple(spec.get("gitignore", ())),
        readme=spec.get("readme", ""),
        layout=dict(spec.get("layout", {})),
        serve=dict(spec.get("serve", {})),
        compose=dict(spec.get("compose", {})),
        local_services=tuple(LocalService(**service) for service in spec.get("local_services", ())),
        requires=_rules(spec.get("requires", [])),
        conflicts=_rules(spec.get("conflicts", [])),
        questions=tuple(FollowUp(**question) for question in spec.get("questions", ())),
        pre_commit=tuple(spec.get("pre_commit", ())),
        extends=(spec["extends"],) if "extends" in spec else (),
        untyped_imports=tuple(spec.get("untyped_imports", ())),
        shared_dir=tools_dir / tool["id"] / SHARED_DIR if spec.get("shared_files") else None,
    )


def _extend(offer: Offer, base: Offer) -> Offer:
    """``offer`` on top of the (already extended) ``base``: base contributions first, its own added."""
    return replace(
        offer,
        packages=base.packages + offer.packages,
        extra_packages=base.extra_packages + offer.extra_packages,
        dev_packages=base.dev_packages + offer.dev_packages,
        services=base.services + offer.services,
        env=base.env + offer.env,
        make=base.make + offer.make,
        scripts=base.scripts | offer.scripts,
        gitignore=base.gitignore + offer.gitignore,
        readme="\n".join(text for text in (base.readme, offer.readme) if text),
        layout=base.layout | offer.layout,
        serve=offer.serve or base.serve,
        compose=offer.compose or base.compose,
        requires=base.requires + offer.requires,
        conflicts=base.conflicts + offer.conflicts,
        questions=base.questions + offer.questions,
        pre_commit=base.pre_commit + offer.pre_commit,
        untyped_imports=base.untyped_imports + offer.untyped_imports,
        extends=(*offer.extends, *base.extends),
        base_dirs=base.files_dirs,
    )


def _resolve_extends(offers: list[Offer]) -> list[Offer]:
    """Merge every offer with the offers it extends, in the same stage."""
    by_id = {offer.tool_id: offer for offer in offers}

    def resolved(offer: Offer, seen: tuple[str, ...]) -> Offer:
        if not offer.extends:
            return offer
        [base_id] = offer.extends
        base = by_id.get(base_id)
        if base is None or base_id in seen:
            problem = "extends itself" if base is not None else f"extends '{base_id}', which offers no {offer.stage_id}"
            raise CatalogError(f"{offer.tool_id} in {offer.stage_id} {problem}")
        return _extend(offer, resolved(base, (*seen, offer.tool_id)))

    return [resolved(offer, (offer.tool_id,)) for offer in offers]


def _widen_rules(stages: tuple[Stage, ...]) -> tuple[Stage, ...]:
    """A rule naming a tool is met (or broken) by the tools that extend it as well."""
    heirs = {(stage.id, offer.tool_id): offer.extends for stage in stages for offer in stage.offers}

    def widened(rule: Rule) -> Rule:
        more = tuple(
            tool_id
            for (stage_id, tool_id), bases in heirs.items()
            if stage_id == rule.stage_id and set(bases) & set(rule.tool_ids) and tool_id not in rule.tool_ids
        )
        return replace(rule, tool_ids=rule.tool_ids + more)

    def with_widened_rules(offer: Offer) -> Offer:
        return replace(
            offer,
            requires=tuple(map(widened, offer.requires)),
            conflicts=tuple(map(widened, offer.conflicts)),
        )

    return tuple(replace(stage, offers=tuple(map(with_widened_rules, stage.offers))) for stage in stages)


def _tool_offers(tools: list[dict[str, Any]], tools_dir: Path) -> dict[str, list[Offer]]:
    offers: dict[str, list[Offer]] = {}
    for tool in tools:
        for stage_id, spec in tool["stages"].items():
            offers.setdefault(stage_id, []).append(_offer(tool, stage_id, spec, tools_dir))
    return {stage_id: _resolve_extends(stage_offers) for stage_id, stage_offers in offers.items()}


def _build_stage(spec: dict[str, Any], offers: list[Offer]) -> Stage:
    stage_id = spec["id"]
    selectable = [offer.tool_id for offer in offers if offer.selectable]
    default = spec.get("default", NONE_ID if NONE_ID in selectable else None)
    if selectable and default not in selectable:
        raise CatalogError(f"stage '{stage_id}': default '{default}' must be one of its selectable tools {selectable}")
    # Default first: cookiecutter treats the first choice as the default; "none" last.
    offers = sorted(offers, key=lambda offer: (offer.tool_id != default, offer.tool_id == NONE_ID))
    return Stage(
        id=stage_id,
        label=spec["label"],
        question=spec["question"],
        description=spec["description"],
        offers=tuple(offers),
        interface=spec.get("interface", ""),
    )


def _check_rules(stages: tuple[Stage, ...]) -> None:
    choices = {stage.id: set(stage.choices) for stage in stages}
    for stage in stages:
        for offer in stage.offers:
            for rule in (*offer.requires, *offer.conflicts):
                unknown = set(rule.tool_ids) - choices.get(rule.stage_id, set())
                if rule.stage_id not in choices or unknown:
                    raise CatalogError(
                        f"{offer.tool_id} in {stage.id}: a rule names {rule.stage_id}={sorted(unknown)}"
                        " which is not a selectable choice"
                    )


def load_catalog(root: Path = TEMPLATE_ROOT) -> Catalog:
    """Build the catalog from ``root/catalog``; raise ``CatalogError`` if inconsistent."""
    raw = read_raw(root)
    project = raw.pop("catalog/project.yaml")
    stage_specs = raw.pop("catalog/stages.yaml")["stages"]
    for path, tool in raw.items():
        if tool.get("id") != Path(path).parent.name:
            raise CatalogError(f"{path}: id '{tool.get('id')}' must equal its folder name")
    offers = _tool_offers(list(raw.values()), root / "catalog" / "tools")
    unknown = set(offers) - {spec["id"] for spec in stage_specs}
    if unknown:
        raise CatalogError(f"tools name unknown stages: {sorted(unknown)}")
    stages = _widen_rules(tuple(_build_stage(spec, offers.get(spec["id"], [])) for spec in stage_specs))
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
        base_env=tuple(EnvVar(**var) for var in project["env"]),
        base_scripts=dict(project["scripts"]),
        base_gitignore=tuple(project["gitignore"]),
        base_pre_commit=tuple(project["pre_commit"]),
        base_untyped_imports=tuple(project.get("untyped_imports", ())),
        pyproject_tools=project["pyproject_tools"],
        version=_template_version(root),
        root=root,
    )


def _template_version(root: Path) -> str:
    pyproject = root / "pyproject.toml"
    with pyproject.open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])
