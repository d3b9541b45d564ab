"""Shared parts: what several tools need identically (a local stand-in server and its fixture) is written once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from mlops_template.assemble import assemble
from mlops_template.catalog import TEMPLATE_ROOT, load_catalog
from mlops_template.errors import CatalogError
from mlops_template.loader import SHARED_DIR, shared_parts
from tests.helpers import defaults

PARTS = sorted((TEMPLATE_ROOT / SHARED_DIR).glob("*/part.yaml"))
# A part carries what merges by identity when two chosen tools include it; never a choice or a section of its own.
PART_KEYS = {
    "packages", "dev_packages", "extra_packages", "env", "gitignore", "layout", "provides", "consumes",
    "compose", "local_services",
}  # fmt: skip


def _part_schema() -> dict:
    tool = json.loads((TEMPLATE_ROOT / "catalog" / "schema" / "tool.schema.json").read_text())
    offer = tool["$defs"]["offer"]
    properties = {key: offer["properties"][key] for key in PART_KEYS}
    properties |= {"id": {"$ref": "#/$defs/id"}, "description": {"type": "string", "minLength": 10}}
    return {
        "$defs": tool["$defs"],
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "description"],
        "properties": properties,
    }


@pytest.mark.parametrize("path", PARTS, ids=lambda p: p.parent.name)
def test_part_matches_the_offer_schema_without_choice_keys(path: Path) -> None:
    errors = list(jsonschema.Draft202012Validator(_part_schema()).iter_errors(yaml.safe_load(path.read_text())))
    assert not errors, [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


@pytest.mark.parametrize("path", PARTS, ids=lambda p: p.parent.name)
def test_every_part_is_included_by_a_selectable_offer(path: Path) -> None:
    catalog = load_catalog()
    users = [o.tool_id for s in catalog.stages for o in s.selectable if path.parent.name in o.includes]
    assert users, f"{path.parent.name} is included by no selectable tool"


def test_an_including_offer_carries_the_parts_files_and_contributions_first() -> None:
    catalog = load_catalog()
    part = shared_parts(TEMPLATE_ROOT)["local_aws"]
    for stage in catalog.stages:
        for offer in stage.selectable:
            if "local_aws" in offer.includes:
                assert offer.files_dirs[0] == part.files_dir
                assert offer.files_dirs[-1] == offer.files_dir
                assert [s.name for s in offer.local_services][: len(part.local_services)] == ["moto"]
                assert set(part.dev_packages) <= set(offer.dev_packages)
                assert offer.provides["test_plugins"][0] == "plugins.local_aws"


def test_two_chosen_tools_including_one_part_get_it_once(tmp_path: Path) -> None:
    catalog = load_catalog()
    users = {o.stage_id: o.tool_id for s in catalog.stages for o in s.selectable if "local_aws" in o.includes}
    assert len(users) >= 2, "two stages include local_aws"
    context = defaults(catalog, **users)
    project = tmp_path / "project"
    project.mkdir()
    stack = assemble(catalog, context, project)
    assert [s.name for s in stack.local_services].count("moto") == 1
    assert stack.channels["test_plugins"].count("plugins.local_aws") == 1
    env_names = [line.split("=", 1)[0] for line in (project / ".env.example").read_text().splitlines() if "=" in line]
    assert env_names.count("AWS_ENDPOINT_URL") == 1
    assert (project / "tests" / "plugins" / "local_aws.py").is_file()


def test_including_an_unknown_part_is_a_clear_catalog_error(tmp_path: Path) -> None:
    root = tmp_path / "template"
    shutil.copytree(TEMPLATE_ROOT / "catalog", root / "catalog")
    shutil.copy(TEMPLATE_ROOT / "pyproject.toml", root / "pyproject.toml")
    tool_file = root / "catalog" / "tools" / "amazon_sqs" / "tool.yaml"
    tool = yaml.safe_load(tool_file.read_text())
    tool["stages"]["message_broker"]["includes"] = ["local_gcp"]
    tool_file.write_text(yaml.safe_dump(tool))
    with pytest.raises(CatalogError, match="includes 'local_gcp', which catalog/shared/ does not hold"):
        load_catalog(root)
