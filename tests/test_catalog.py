"""The catalog is valid, covers every seed tool, and cookiecutter.json is derived from it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from mlops_template import cookiecutter_json
from mlops_template.catalog import SHARED_DIR, TEMPLATE_ROOT, Catalog, read_raw

SCHEMAS = TEMPLATE_ROOT / "catalog" / "schema"
SEEDS_README = TEMPLATE_ROOT.parent / "shared" / "seeds" / "README.md"
COVERAGE = yaml.safe_load((TEMPLATE_ROOT / "catalog" / "seed_coverage.yaml").read_text())


def _schema_for(path: str) -> dict:
    name = next((n for n in ("stages", "channels", "kit") if path.endswith(f"{n}.yaml")), "tool")
    name = "preset" if path.startswith("catalog/presets/") else name
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text())


@pytest.mark.parametrize("path", [p for p in read_raw() if p != "catalog/project.yaml"])
def test_catalog_file_matches_its_schema(path: str) -> None:
    schema = _schema_for(path)
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(read_raw()[path]))
    assert not errors, [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


def test_schema_rejects_a_tool_without_a_link() -> None:
    schema = _schema_for("catalog/tools/x/tool.yaml")
    tool = {"id": "x", "label": "X", "description": "a tool that does things", "license": "MIT"}
    tool |= {"kind": "open_source", "stages": {"serving": {"selectable": False}}}
    with pytest.raises(jsonschema.ValidationError, match="'link' is a required property"):
        jsonschema.validate(tool, schema)


def test_every_seed_row_and_tool_is_catalogued(catalog: Catalog) -> None:
    for row in COVERAGE["rows"]:
        # A seed row the catalog splits into several questions names them all.
        stages = [catalog.stage(s) for s in (row["stage"] if isinstance(row["stage"], list) else [row["stage"]])]
        for name, tool_id in row["tools"].items():
            if tool_id == "builtin":  # the generated project's own validation step
                continue
            offered = [stage.id for stage in stages if stage.offer(tool_id) is not None]
            assert offered, f"{name!r} ({tool_id}) is not offered for {row['stage']}"


@pytest.mark.skipif(not SEEDS_README.exists(), reason="shared/seeds is not beside this checkout")
def test_seed_coverage_lists_every_row_of_the_seed_table() -> None:
    lines = SEEDS_README.read_text().splitlines()
    rows = [line.split("|") for line in lines if line.startswith("| ") and not line.startswith("| stage |")]
    assert [row["seed_stage"] for row in COVERAGE["rows"]] == [cells[1].strip() for cells in rows]
    for cells, row in zip(rows, COVERAGE["rows"], strict=True):
        for name in row["tools"]:
            assert name in cells[2], f"{name!r} is not in the seed row {row['seed_stage']!r}"


def test_every_stage_has_tools_and_every_open_source_tool_is_described(catalog: Catalog) -> None:
    for stage in catalog.stages:
        assert stage.offers, f"stage {stage.id} has no tools"
        for offer in stage.offers:
            assert offer.label and offer.description


def test_enough_tools_are_selectable(catalog: Catalog) -> None:
    """Issue 8's bar: at least 22 of the seed documents' tools can be chosen."""
    tools = {o.tool_id for s in catalog.prompted_stages for o in s.selectable if o.tool_id != "none"}
    assert len(tools) >= 22, sorted(tools)


def test_cookiecutter_json_is_up_to_date() -> None:
    assert cookiecutter_json.main(["--check"]) == 0, "run: python -m mlops_template.cookiecutter_json"


def test_cookiecutter_json_prompts_come_from_the_catalog(catalog: Catalog) -> None:
    context = json.loads((TEMPLATE_ROOT / "cookiecutter.json").read_text())
    for stage in catalog.prompted_stages:
        assert context[stage.id] == list(stage.choices)
        assert context["__prompts__"][stage.id]["__prompt__"] == stage.question
        for offer in stage.selectable:
            assert context["__prompts__"][stage.id][offer.tool_id] == offer.label


def test_stale_cookiecutter_json_is_detected(tmp_path: Path) -> None:
    for name in ("catalog", "pyproject.toml"):
        source = TEMPLATE_ROOT / name
        target = tmp_path / name
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            target.write_text(source.read_text())
    (tmp_path / "cookiecutter.json").write_text((TEMPLATE_ROOT / "cookiecutter.json").read_text())
    stages = tmp_path / "catalog" / "stages.yaml"
    stages.write_text(stages.read_text().replace("default: airflow", "default: kubeflow"))
    assert cookiecutter_json.main(["--check", "--root", str(tmp_path)]) == 1


def test_tool_folders_hold_only_stage_folders_of_offers_the_tool_declares(catalog: Catalog) -> None:
    """A folder the catalog does not know would never be generated: a typo, or a stage renamed."""
    offers = {(o.tool_id, o.stage_id) for stage in catalog.stages for o in stage.offers}
    for folder in sorted((TEMPLATE_ROOT / "catalog" / "tools").iterdir()):
        for child in folder.iterdir():
            if child.is_dir() and child.name != SHARED_DIR:
                assert (folder.name, child.name) in offers, f"{child} belongs to no offer of {folder.name}"


def test_a_tool_has_a_shared_folder_exactly_when_one_of_its_offers_uses_it(catalog: Catalog) -> None:
    users = {o.tool_id for stage in catalog.stages for o in stage.offers if o.shared_dir is not None}
    for stage in catalog.stages:
        for offer in stage.offers:
            assert offer.shared_dir is None or offer.shared_dir.is_dir(), f"{offer.shared_dir} is missing"
    folders = {p.parent.name for p in (TEMPLATE_ROOT / "catalog" / "tools").glob(f"*/{SHARED_DIR}") if p.is_dir()}
    assert folders == users, "a shared folder no offer declares `shared_files: true` for is never generated"


def test_catalogued_only_offers_have_no_files(catalog: Catalog) -> None:
    for stage in catalog.stages:
        for offer in stage.offers:
            if not offer.selectable:
                assert not offer.files_dir.exists(), f"{offer.files_dir} is never generated"
