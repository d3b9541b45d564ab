"""An offer may build on another tool of its stage (``extends``): files, contributions and rules follow."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from mlops_template.catalog import TEMPLATE_ROOT, load_catalog
from mlops_template.errors import CatalogError
from mlops_template.validation import tool_problems
from tests.helpers import defaults

# A made-up packaging tool on top of the real container one: it adds a manifest and a target.
HEIR = {
    "id": "imageplus",
    "label": "Image plus",
    "description": "A made-up tool that adds a manifest to the container image.",
    "link": "",
    "license": "MIT",
    "kind": "open_source",
    "stages": {
        "packaging": {
            "selectable": True,
            "extends": "docker",
            "packages": ["pyyaml>=6"],
            "make": [{"target": "manifest", "help": "Print the manifest", "run": ["cat deploy/app.yaml"]}],
            "pre_commit": [{"id": "check-manifest", "name": "manifest", "entry": "true", "language": "system"}],
            "readme": "## Image plus\n\nThe manifest.\n",
        }
    },
}


def _catalog_copy(tmp_path: Path, tool: dict) -> Path:
    root = tmp_path / "template"
    shutil.copytree(TEMPLATE_ROOT / "catalog", root / "catalog")
    shutil.copy(TEMPLATE_ROOT / "pyproject.toml", root / "pyproject.toml")
    folder = root / "catalog" / "tools" / tool["id"]
    (folder / "packaging" / "deploy").mkdir(parents=True)
    (folder / "packaging" / "deploy" / "app.yaml").write_text("kind: Deployment\n")
    (folder / "tool.yaml").write_text(yaml.safe_dump(tool))
    return root


def test_an_extending_offer_brings_its_base_first_then_its_own(tmp_path: Path) -> None:
    catalog = load_catalog(_catalog_copy(tmp_path, HEIR))
    stage = catalog.stage("packaging")
    base, heir = stage.offer("docker"), stage.offer("imageplus")
    assert base is not None and heir is not None
    assert heir.files_dirs == (base.files_dir, heir.files_dir)
    assert [t.target for t in heir.make] == [*(t.target for t in base.make), "manifest"]
    assert heir.env == base.env and heir.questions == base.questions
    assert heir.packages == (*base.packages, "pyyaml>=6")
    assert heir.compose == base.compose and heir.layout == base.layout
    assert heir.readme.startswith(base.readme) and heir.readme.endswith("The manifest.\n")
    assert [h["id"] for h in heir.pre_commit] == ["check-manifest"]
    assert heir.extends == ("docker",)
    keys = [question.key for question in catalog.follow_ups]
    assert len(keys) == len(set(keys)), "a question the heir inherits is still one question"


def test_a_capability_of_the_base_is_had_by_the_extending_tool(tmp_path: Path) -> None:
    catalog = load_catalog(_catalog_copy(tmp_path, HEIR))
    needs_image = [
        offer
        for stage in catalog.stages
        for offer in stage.offers
        for rule in offer.requires
        if rule.capability == "container_image"
    ]
    assert needs_image, "the catalog has a tool that requires the container image"
    for offer in needs_image:
        answers = defaults(catalog, **{offer.stage_id: offer.tool_id, "packaging": "imageplus"})
        assert not [p for p in tool_problems(catalog, answers) if offer.tool_id in p]
        refused = defaults(catalog, **{offer.stage_id: offer.tool_id, "packaging": "none"})
        assert [p for p in tool_problems(catalog, refused) if f"{offer.stage_id}={offer.tool_id}" in p]


@pytest.mark.parametrize(
    ("extends", "message"),
    [("nonexistent", "extends 'nonexistent', which offers no packaging"), ("imageplus", "extends itself")],
)
def test_extending_an_unknown_tool_or_itself_is_refused(tmp_path: Path, extends: str, message: str) -> None:
    tool = {**HEIR, "stages": {"packaging": {**HEIR["stages"]["packaging"], "extends": extends}}}
    with pytest.raises(CatalogError, match=message):
        load_catalog(_catalog_copy(tmp_path, tool))
