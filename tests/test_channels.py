"""Channels (provides/consumes), capability rules, verbatim files and the merges of extending offers."""

from __future__ import annotations

import ast
import dataclasses
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest

from mlops_template.assemble import assemble, build_stack, merged_channels, write_shared_files
from mlops_template.catalog import TEMPLATE_ROOT, Catalog, LocalService, Offer, Rule, load_catalog
from mlops_template.errors import CatalogError
from mlops_template.generate import resolve
from mlops_template.linker import _extend, check_rules
from mlops_template.render import environment, render_tree
from mlops_template.validation import disabled_reason, tool_problems
from tests.helpers import CATALOG, PROJECT_TEMPLATE, defaults

SELECTABLE = [offer for stage in CATALOG.active_stages for offer in stage.selectable]
READ = re.compile(r"stack\.channels\.([a-z][a-z0-9_]*)")


def _texts(offer: Offer) -> str:
    """Everything of an offer that is rendered: its files and its contributions."""
    files = [p.read_text(errors="ignore") for d in offer.files_dirs if d.is_dir() for p in d.rglob("*") if p.is_file()]
    return "\n".join([*files, json.dumps(dataclasses.asdict(offer), default=str)])


def _shared_texts() -> str:
    roots = (PROJECT_TEMPLATE, TEMPLATE_ROOT / "templates")
    return "\n".join(p.read_text(errors="ignore") for root in roots for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("offer", SELECTABLE, ids=lambda o: f"{o.tool_id}-{o.stage_id}")
def test_every_provided_value_matches_its_channel_schema(offer: Offer) -> None:
    for name, value in offer.provides.items():
        channel = CATALOG.channels[name]
        items = value if channel.cardinality == "many" else [value]
        assert isinstance(items, list), f"{name} is a 'many' channel: provide a list"
        for item in items:
            jsonschema.validate(item, channel.schema)


@pytest.mark.parametrize("offer", SELECTABLE, ids=lambda o: f"{o.tool_id}-{o.stage_id}")
def test_an_offer_declares_every_channel_it_reads(offer: Offer) -> None:
    read = set(READ.findall(_texts(offer)))
    assert read <= set(offer.consumes), f"reads {sorted(read - set(offer.consumes))}: add them to its consumes"


def test_every_channel_has_a_provider_and_a_consumer() -> None:
    provided = {name for offer in SELECTABLE for name in offer.provides}
    consumed = {name for offer in SELECTABLE for name in offer.consumes} | set(READ.findall(_shared_texts()))
    assert consumed <= provided, f"consumed, never provided by a selectable tool: {sorted(consumed - provided)}"
    assert provided <= consumed, f"provided, never consumed: {sorted(provided - consumed)}"
    assert set(CATALOG.channels) == provided, "channels.yaml declares a channel no tool provides"


def test_an_unknown_channel_is_a_catalog_error(tmp_path: Path) -> None:
    root = tmp_path / "template"
    shutil.copytree(TEMPLATE_ROOT / "catalog", root / "catalog")
    shutil.copy(TEMPLATE_ROOT / "pyproject.toml", root)
    tool = root / "catalog" / "tools" / "fastapi" / "tool.yaml"
    tool.write_text(tool.read_text().replace("    provides:\n", "    provides:\n      metrix: {}\n", 1))
    with pytest.raises(CatalogError, match=r"names channels \['metrix'\]"):
        load_catalog(root)


def _with(catalog: Catalog, **changes: dict) -> Catalog:
    """The catalog with the named offers (``tool_stage=...``) changed."""

    def changed(offer: Offer) -> Offer:
        return dataclasses.replace(offer, **changes.get(f"{offer.tool_id}_{offer.stage_id}", {}))

    stages = tuple(dataclasses.replace(s, offers=tuple(map(changed, s.offers))) for s in catalog.stages)
    return dataclasses.replace(catalog, stages=stages)


def test_a_one_channel_has_its_providers_value_or_none() -> None:
    offers = tuple(CATALOG.chosen_offers(defaults(CATALOG)))
    channels = merged_channels(CATALOG.channels, offers)
    assert channels["http_service"]["port"] == 8000
    without_serving = tuple(o for o in offers if "http_service" not in o.provides)
    assert merged_channels(CATALOG.channels, without_serving)["http_service"] is None


def test_two_providers_of_a_one_channel_are_refused() -> None:
    offers = [
        dataclasses.replace(o, provides=o.provides | {"container_image": {"reference": "x", "user": 1}})
        for o in CATALOG.chosen_offers(defaults(CATALOG, packaging="docker"))
    ]
    with pytest.raises(CatalogError, match="container_image is provided by more than one chosen tool"):
        merged_channels(CATALOG.channels, tuple(offers))


def test_a_many_channel_concatenates_every_providers_items_once() -> None:
    chosen = CATALOG.chosen_offers(defaults(CATALOG))
    first, second = (
        dataclasses.replace(o, provides={"image_paths": paths})
        for o, paths in zip(chosen, (["flows/", "conf/"], ["conf/", "feature_repo/"]), strict=False)
    )
    assert merged_channels(CATALOG.channels, (first, second))["image_paths"] == ["flows/", "conf/", "feature_repo/"]


def test_image_paths_reach_the_image_and_its_build_context(tmp_path: Path) -> None:
    catalog = _with(
        CATALOG,
        fastapi_serving={
            "provides": CATALOG.stage("serving").offer("fastapi").provides  # type: ignore[union-attr]
            | {"image_paths": ["feature_repo/"]}
        },
    )
    context = resolve(TEMPLATE_ROOT, catalog, {})
    stack = build_stack(catalog, context)
    docker = catalog.stage("packaging").offer("docker")
    assert docker is not None
    render_tree(environment(context), docker.files_dir, tmp_path, {"stack": stack}, "docker")
    assert "COPY feature_repo/ ./feature_repo/" in (tmp_path / "Dockerfile").read_text()
    assert "!feature_repo/" in (tmp_path / ".dockerignore").read_text().splitlines()


def test_test_plugins_are_listed_in_the_root_conftest(tmp_path: Path) -> None:
    catalog = _with(CATALOG, none_metadata_store={"provides": {"test_plugins": ["plugins.object_store"]}})
    context = resolve(TEMPLATE_ROOT, catalog, {"metadata_store": "none"})
    stack = build_stack(catalog, context)
    write_shared_files(catalog, context, stack, tmp_path)
    tree = ast.parse((tmp_path / "tests" / "conftest.py").read_text())
    [plugins] = [n.value for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "pytest_plugins"]  # type: ignore[attr-defined]
    assert "plugins.object_store" in ast.literal_eval(plugins)
    assert ast.literal_eval(plugins) == stack.channels["test_plugins"]


def test_without_test_plugins_the_root_conftest_declares_none(tmp_path: Path) -> None:
    context = resolve(TEMPLATE_ROOT, CATALOG, {"experiment_tracking": "none", "model_registry": "none"})
    stack = build_stack(CATALOG, context)
    assert stack.channels["test_plugins"] == []
    write_shared_files(CATALOG, context, stack, tmp_path)
    assert "pytest_plugins" not in (tmp_path / "tests" / "conftest.py").read_text()


def test_a_capability_rule_names_the_tools_that_provide_it() -> None:
    [problem] = tool_problems(CATALOG, defaults(CATALOG, orchestration="kubeflow", packaging="none"))
    expected = "with no tool that provides container_image (packaging=docker or packaging=helm or packaging=kubernetes)"
    assert expected in problem


def test_a_capability_counts_as_undecided_while_a_later_stage_could_provide_it() -> None:
    kubeflow = CATALOG.stage("orchestration").offer("kubeflow")
    assert kubeflow is not None
    assert disabled_reason(CATALOG, kubeflow, {"experiment_tracking": "mlflow"}) is None
    none = CATALOG.stage("packaging").offer("none")
    assert none is not None
    reason = disabled_reason(CATALOG, none, {"orchestration": "kubeflow"})
    assert reason is not None and "container image" in reason


def test_a_capability_conflict_is_refused() -> None:
    rule = Rule(message="a made-up tool that cannot live beside an image", capability="container_image")
    catalog = _with(CATALOG, none_metadata_store={"conflicts": (rule,)})
    problems = tool_problems(catalog, defaults(catalog, metadata_store="none", packaging="docker"))
    assert problems == [f"metadata_store=none with container_image: {rule.message}"]
    assert tool_problems(catalog, defaults(catalog, metadata_store="none", packaging="none")) == []


def test_verbatim_files_are_copied_untouched_and_the_rest_rendered(tmp_path: Path) -> None:
    source = tmp_path / "tool"
    (source / "chart" / "templates").mkdir(parents=True)
    helm = "image: {{ .Values.image }}\n{{- if .Values.x }}\n"
    (source / "chart" / "templates" / "deployment.yaml").write_text(helm)
    (source / "chart" / "Chart.yaml").write_text("name: {{ cookiecutter.project_slug }}\n")
    env = environment(defaults(CATALOG))
    render_tree(env, source, tmp_path / "out", {}, "tool", ("chart/templates/*",))
    assert (tmp_path / "out" / "chart" / "templates" / "deployment.yaml").read_text() == helm
    assert (tmp_path / "out" / "chart" / "Chart.yaml").read_text() == "name: iris-classifier\n"


def test_an_extending_offer_keeps_its_bases_services_and_adds_its_own() -> None:
    docker = CATALOG.stage("packaging").offer("docker")
    assert docker is not None
    db = LocalService(name="db", help="a database for the tests", run="db-server", port=5432)
    base = dataclasses.replace(docker, local_services=(db,), provides={"image_paths": ["conf/"]})
    heir_compose = {"services": {"worker": {"build": "."}}, "project_services": ["worker"]}
    heir = dataclasses.replace(docker, tool_id="heir", compose=heir_compose, provides={"image_paths": ["flows/"]})
    merged = _extend(heir, base)
    assert merged.local_services == (db,)
    assert set(merged.compose["services"]) == {*docker.compose["services"], "worker"}
    assert merged.compose["project_services"] == [*docker.compose["project_services"], "worker"]
    assert merged.provides["image_paths"] == ["conf/", "flows/"], "on a many channel an heir adds to its base"


def test_two_offers_of_one_tool_share_one_extra() -> None:
    catalog = _with(
        CATALOG,
        mlflow_experiment_tracking={"extra_packages": ("a-package>=1",)},
        mlflow_model_registry={"extra_packages": ("b-package>=1",)},
    )
    stack = build_stack(catalog, resolve(TEMPLATE_ROOT, catalog, {}))
    assert stack.extras["mlflow"] == ["a-package>=1", "b-package>=1"]


@pytest.mark.parametrize(("packaging", "written"), [("kubernetes", True), ("docker", False)])
def test_only_with_files_wait_for_their_capability(tmp_path: Path, packaging: str, written: bool) -> None:
    """The metrics tool's ServiceMonitor lands beside Kubernetes manifests only; its other files always."""
    catalog = load_catalog()
    context = resolve(TEMPLATE_ROOT, catalog, {"metrics": "prometheus", "packaging": packaging})
    assemble(catalog, context, tmp_path)
    assert (tmp_path / "k8s" / "base" / "servicemonitor.yaml").is_file() is written
    assert (tmp_path / "monitoring" / "prometheus.yml").is_file()


def test_only_with_must_name_a_capability_some_tool_has() -> None:
    catalog = _with(CATALOG, none_metrics={"only_with": {"helm_charts": ("monitoring/*",)}})
    with pytest.raises(CatalogError, match="only_with names the capability 'helm_charts'"):
        check_rules(catalog.stages)


def test_only_with_globs_add_up_when_an_offer_extends_another() -> None:
    docker = CATALOG.stage("packaging").offer("docker")
    kubernetes = CATALOG.stage("packaging").offer("kubernetes")
    assert docker is not None and kubernetes is not None
    base = dataclasses.replace(docker, only_with={"http_service": ("a.yaml",)})
    offer = dataclasses.replace(kubernetes, only_with={"http_service": ("b.yaml",), "team_stack": ("c.yaml",)})
    merged = _extend(offer, base)
    assert merged.only_with == {"http_service": ("a.yaml", "b.yaml"), "team_stack": ("c.yaml",)}
