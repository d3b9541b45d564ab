"""Assemble a generated project from the chosen tools.

Each chosen offer's folder (``catalog/tools/<tool>/<stage>/``) is rendered into
the project, then the shared files (``pyproject.toml``, ``Makefile``,
``README.md``, ``.env.example``, ``.gitignore``, ``tests/conftest.py``) are
built from the base in ``catalog/project.yaml`` plus every chosen offer's
contributions, and the values the offers provide on their channels. Nothing
here names a tool: the catalog says everything.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from mlops_template.catalog import Catalog, Channel, EnvVar, LocalService, MakeTarget, Offer
from mlops_template.diagram import flowchart
from mlops_template.errors import CatalogError
from mlops_template.render import environment, render_text, render_tree, render_value
from mlops_template.serialize import toml_document, yaml_document

TEMPLATES = "templates"
COMPOSE_HEADER = "# The team stack: `make up` builds and starts it, `make down` stops it.\n"
PRE_COMMIT_HEADER = (
    "# `pre-commit install` runs these before every commit. Every hook runs the\n"
    "# tool installed by `make install` (language: system), so nothing is downloaded.\n"
)
SERVICES_DIR = ".services/"


@dataclass(frozen=True)
class Stack:
    """The chosen offers and their merged contributions, rendered with the answers."""

    offers: tuple[Offer, ...]
    channels: dict[str, Any]
    """Channel name -> the merged value its chosen providers put on it (None or [] when none does)."""
    env: tuple[EnvVar, ...]
    make: tuple[MakeTarget, ...]
    scripts: dict[str, str]
    extras: dict[str, list[str]]
    dependencies: list[str]
    """The runtime requirements: the base packages plus the chosen tools' (``pyproject.toml``'s list)."""
    local_services: tuple[LocalService, ...] = ()
    """Servers ``make services-up`` starts on 127.0.0.1, each once even when two chosen tools need it."""

    @property
    def ci_targets(self) -> list[MakeTarget]:
        return [target for target in self.make if target.ci]

    def has(self, capability: str) -> bool:
        """Some chosen tool provides the channel ``capability`` or declares it (templates ask this too)."""
        return any(offer.has(capability) for offer in self.offers)

    def left_out(self, offer: Offer) -> tuple[str, ...]:
        """The globs of ``offer``'s files that wait for a capability this stack lacks."""
        return tuple(glob for name, globs in offer.only_with.items() if not self.has(name) for glob in globs)


def _merged_env(base: tuple[EnvVar, ...], offers: tuple[Offer, ...]) -> tuple[EnvVar, ...]:
    merged: dict[str, EnvVar] = {var.name: var for var in base}
    for offer in offers:
        for var in offer.env:
            known = merged.setdefault(var.name, var)
            if known.default != var.default:
                raise CatalogError(f"{var.name} has two defaults: '{known.default}' and '{var.default}'")
    return tuple(merged.values())


def _merged_targets(offers: tuple[Offer, ...]) -> tuple[MakeTarget, ...]:
    targets: dict[str, MakeTarget] = {}
    for offer in offers:
        for target in offer.make:
            if target.target in targets:
                raise CatalogError(f"make target '{target.target}' is declared by two chosen tools")
            targets[target.target] = target
    return tuple(targets.values())


def _merged_services(offers: tuple[Offer, ...]) -> tuple[LocalService, ...]:
    services: dict[str, LocalService] = {}
    for offer in offers:
        for service in offer.local_services:
            if services.setdefault(service.name, service) != service:
                raise CatalogError(f"local service '{service.name}' is declared differently by two chosen tools")
    ports = [service.port for service in services.values()]
    if len(set(ports)) != len(ports):
        raise CatalogError(f"two local services share a port: {sorted(ports)}")
    return tuple(services.values())


def merged_channels(channels: dict[str, Channel], offers: tuple[Offer, ...]) -> dict[str, Any]:
    """Every declared channel's value in this stack: ``one`` from its single provider, ``many`` from all."""
    merged: dict[str, Any] = {}
    for name, channel in channels.items():
        values = [offer.provides[name] for offer in offers if name in offer.provides]
        if channel.cardinality == "many":
            merged[name] = list(dict.fromkeys(item for value in values for item in value))
            continue
        providers = [offer.tool_id for offer in offers if name in offer.provides]
        if len(providers) > 1:
            raise CatalogError(f"{name} is provided by more than one chosen tool: {', '.join(providers)}")
        merged[name] = values[0] if values else None
    return merged


def _extras(offers: tuple[Offer, ...], rendered: Callable[[Any], Any]) -> dict[str, list[str]]:
    """One optional extra per tool, holding the extra packages of all its chosen offers."""
    extras: dict[str, list[str]] = {}
    for offer in offers:
        if offer.extra_packages:
            extras.setdefault(offer.tool_id, []).extend(rendered(list(offer.extra_packages)))
    return {tool: list(dict.fromkeys(packages)) for tool, packages in extras.items()}


def _recipe(lines: list[str]) -> tuple[str, ...]:
    """A target's commands; a line that renders empty (guarded by a channel, say) is left out."""
    return tuple(line for line in lines if line.strip())


def _unique_sorted(items: list[str]) -> list[str]:
    return sorted(set(items), key=str.lower)


def build_stack(catalog: Catalog, context: dict[str, Any]) -> Stack:
    env = environment(context)
    offers = tuple(catalog.chosen_offers(context))
    channels = render_value(env, merged_channels(catalog.channels, offers), {})

    def rendered(value: Any) -> Any:
        """Contributions may read the channels too (``stack.channels.<name>``), as the tools' files do."""
        return render_value(env, value, {"stack": SimpleNamespace(channels=channels)})

    return Stack(
        offers=offers,
        channels=channels,
        env=tuple(
            EnvVar(var.name, rendered(var.default), var.comment) for var in _merged_env(catalog.base_env, offers)
        ),
        make=tuple(
            MakeTarget(t.target, rendered(t.help), _recipe(rendered(list(t.run))), rendered(t.exports), t.ci)
            for t in _merged_targets(offers)
        ),
        scripts=rendered(catalog.base_scripts) | {k: v for offer in offers for k, v in rendered(offer.scripts).items()},
        extras=_extras(offers, rendered),
        dependencies=_unique_sorted([*catalog.base_packages, *(p for offer in offers for p in offer.packages)]),
        local_services=tuple(
            LocalService(s.name, rendered(s.help), rendered(s.run), s.port, s.ready) for s in _merged_services(offers)
        ),
    )


def pyproject(catalog: Catalog, context: dict[str, Any], stack: Stack) -> dict[str, Any]:
    env = environment(context)
    licence = context["license"]
    project: dict[str, Any] = {
        "name": context["project_slug"],
        "version": "0.1.0",
        "description": context["description"],
        "readme": "README.md",
        "requires-python": f">={context['python_version']}",
        "license": "LicenseRef-Proprietary" if licence == "Proprietary" else licence,
        "authors": [{"name": context["author_name"], "email": context["author_email"]}],
        "dependencies": stack.dependencies,
        "optional-dependencies": {
            "dev": _unique_sorted([*catalog.base_dev_packages, *(p for o in stack.offers for p in o.dev_packages)]),
            **stack.extras,
        },
        "scripts": stack.scripts,
    }
    tools = render_value(env, catalog.pyproject_tools, {})
    untyped = _unique_sorted([*catalog.base_untyped_imports, *(m for o in stack.offers for m in o.untyped_imports)])
    if untyped:
        modules = [pattern for module in untyped for pattern in (module, f"{module}.*")]
        tools.setdefault("mypy", {})["overrides"] = [{"module": modules, "ignore_missing_imports": True}]
    overrides = _unique_sorted([o for offer in stack.offers for o in offer.dependency_overrides])
    if overrides:
        tools.setdefault("uv", {})["override-dependencies"] = overrides
    pytest_options = tools["pytest"]["ini_options"]
    # The project's own filters first: pytest lets later lines win, and a tool's only silence its libraries.
    filters = [*pytest_options.get("filterwarnings", []), *(f for o in stack.offers for f in o.warning_filters)]
    if filters:
        pytest_options["filterwarnings"] = list(dict.fromkeys(filters))
    return {
        "build-system": {"requires": ["setuptools>=77"], "build-backend": "setuptools.build_meta"},
        "project": project,
        "tool": tools,
    }


def env_example(stack: Stack) -> str:
    lines = [
        "# Copy to .env (never commit .env) and export before running, e.g. `set -a; . ./.env; set +a`.",
        "# Every value below is the default used when the variable is unset.",
    ]
    for var in stack.env:
        lines += ["", f"# {var.comment}", f"{var.name}={var.default}"]
    return "\n".join(lines) + "\n"


def gitignore(catalog: Catalog, stack: Stack) -> str:
    lines = list(catalog.base_gitignore)
    tool_lines = [line for offer in stack.offers for line in offer.gitignore]
    if stack.local_services:
        tool_lines.append(SERVICES_DIR)
    if tool_lines:
        lines.append("# Local stores of the chosen tools")
        lines += list(dict.fromkeys(tool_lines))
    return "\n".join(lines) + "\n"


# Types of files the hooks parse: another tool's templates (foreign_templates) do not parse before it renders them.
PARSED_TYPES = frozenset({"yaml", "json"})


def _globs_regex(globs: tuple[str, ...]) -> str:
    """One regex (as pre-commit's ``exclude`` searches it) matching the project paths of any glob (``*``: anything)."""
    return "^(?:" + "|".join(re.escape(glob).replace(r"\*", ".*") for glob in globs) + ")$"


def pre_commit_config(catalog: Catalog, stack: Stack) -> str:
    hooks = [*catalog.base_pre_commit, *(hook for offer in stack.offers for hook in offer.pre_commit)]
    foreign = tuple(dict.fromkeys(glob for offer in stack.offers for glob in offer.foreign_templates))
    if foreign:
        hooks = [_excluding(hook, _globs_regex(foreign)) for hook in hooks]
    return PRE_COMMIT_HEADER + yaml_document({"repos": [{"repo": "local", "hooks": hooks}]})


def _excluding(hook: dict[str, Any], pattern: str) -> dict[str, Any]:
    """``hook``, also excluding ``pattern`` if it parses the files it checks."""
    if not PARSED_TYPES & {*hook.get("types", ()), *hook.get("types_or", ())}:
        return hook
    exclude = f"(?:{hook['exclude']})|{pattern}" if hook.get("exclude") else pattern
    return {**hook, "exclude": exclude}


def compose_document(context: dict[str, Any], stack: Stack) -> dict[str, Any] | None:
    """``compose.yaml`` as data from the chosen tools' services, or None when no tool runs a service."""
    env = environment(context)
    services: dict[str, Any] = {}
    volumes: list[str] = []
    project_env: dict[str, str] = {}
    project_depends_on: list[str] = []
    project_services: list[str] = []
    for offer in stack.offers:
        compose = render_value(env, offer.compose, {"stack": stack})
        for name, service in compose.get("services", {}).items():
            if services.setdefault(name, service) != service:
                raise CatalogError(f"compose service '{name}' is declared differently by two chosen tools")
        volumes += [volume for volume in compose.get("volumes", []) if volume not in volumes]
        project_env |= compose.get("project_env", {})
        project_depends_on += compose.get("project_depends_on", [])
        project_services += compose.get("project_services", [])
    if not project_services:
        return None
    for name in project_services:
        if project_env:
            services[name]["environment"] = project_env
        for dependency in project_depends_on:
            services[name].setdefault("depends_on", {})[dependency] = {"condition": "service_healthy"}
    document: dict[str, Any] = {"name": context["project_slug"], "services": services}
    if volumes:
        document["volumes"] = {volume: {} for volume in volumes}
    return document


def write_shared_files(catalog: Catalog, context: dict[str, Any], stack: Stack, project_dir: Path) -> None:
    env = environment(context, catalog.root / TEMPLATES)
    variables = {"stack": stack}
    readme_sections = [render_text(env, offer.readme, variables).strip() for offer in stack.offers if offer.readme]
    layout = {
        render_text(env, path, variables): render_text(env, text, variables)
        for offer in stack.offers
        for path, text in offer.layout.items()
    }
    files = {
        "pyproject.toml": toml_document(pyproject(catalog, context, stack)),
        ".env.example": env_example(stack),
        ".gitignore": gitignore(catalog, stack),
        ".pre-commit-config.yaml": pre_commit_config(catalog, stack),
        "Makefile": env.get_template("Makefile.jinja").render(stack=stack),
        "tests/conftest.py": env.get_template("conftest.py.jinja").render(stack=stack),
        "README.md": env.get_template("README.md.jinja").render(
            stack=stack,
            sections=readme_sections,
            layout=layout,
            stages=catalog.active_stages,
            diagram=flowchart(catalog, context),
        ),
    }
    compose = compose_document(context, stack)
    if compose is not None:
        files["compose.yaml"] = COMPOSE_HEADER + yaml_document(compose)
    licence = context["license"]
    if (catalog.root / TEMPLATES / "licenses" / f"{licence}.jinja").is_file():
        files["LICENSE"] = env.get_template(f"licenses/{licence}.jinja").render()
    for name, text in files.items():
        (project_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (project_dir / name).write_text(text, encoding="utf-8")


def assemble(catalog: Catalog, context: dict[str, Any], project_dir: Path) -> Stack:
    """Write the chosen tools' files and the shared files into ``project_dir``."""
    stack = build_stack(catalog, context)
    env = environment(context)
    rendered_dirs: set[Path] = set()
    for offer in stack.offers:
        # A shared part two chosen tools include is written once.
        for files_dir in offer.files_dirs:
            # A kit that several chosen tools use is written once.
            if files_dir.is_dir() and files_dir not in rendered_dirs:
                rendered_dirs.add(files_dir)
                owner = f"{offer.tool_id} ({offer.stage_id})"
                render_tree(env, files_dir, project_dir, {"stack": stack}, owner, offer.verbatim, stack.left_out(offer))
    write_shared_files(catalog, context, stack, project_dir)
    remove_bytecode(project_dir)
    return stack


def remove_bytecode(project_dir: Path) -> None:
    """Drop ``__pycache__`` folders: pip compiles the template copy inside an installed wheel."""
    for cache in sorted(project_dir.rglob("__pycache__"), reverse=True):
        shutil.rmtree(cache)
