"""Presets: defined in ``catalog/presets/``, valid under the catalog's rules, and the same project
through plain cookiecutter (``--config-file presets/<id>.yaml``) and ``mlops-template new --preset``."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pexpect
import pytest
import yaml

from mlops_template import presets, prompt
from mlops_template.answers import ANSWERS_FILE
from mlops_template.catalog import TEMPLATE_ROOT, Catalog, load_catalog
from mlops_template.errors import AnswersError, CatalogError
from mlops_template.validation import check_answers, disabled_reason
from tests.helpers import CATALOG, defaults, preset_stacks, stack_id, tool, tool_covering_stacks, tree
from tests.test_cli import DOWN, ENTER, answer, spawn

PRESET_IDS = [preset.id for preset in CATALOG.presets]
SPACE = " "


def test_the_presets_are_there_and_the_first_is_the_default_stack(catalog: Catalog) -> None:
    assert PRESET_IDS[:1] == ["laptop"]
    assert {"open-source-kubernetes", "aws"} <= set(PRESET_IDS)
    assert catalog.preset_answers("laptop") == {stage.id: stage.default for stage in catalog.prompted_stages}


@pytest.mark.parametrize("preset_id", PRESET_IDS)
def test_each_preset_is_valid_under_the_catalogs_rules(preset_id: str, catalog: Catalog) -> None:
    check_answers(catalog, defaults(catalog, **catalog.preset_answers(preset_id)))


def test_presets_name_their_platforms_tools(catalog: Catalog) -> None:
    """Each preset moves the stages it is about away from the laptop defaults."""
    oss, aws = catalog.preset("open-source-kubernetes").stages, catalog.preset("aws").stages
    assert oss["packaging"] == "kubernetes" and oss["orchestration"] in ("kubeflow", "argo_workflows")
    assert {oss["storage"], oss["metrics"], oss["drift_detection"]} == {"minio", "prometheus", "evidently"}
    assert aws == aws | {"orchestration": "sagemaker", "model_registry": "sagemaker", "storage": "amazon_s3"}
    assert aws["message_broker"] == "amazon_sqs"


def _catalog_copy(tmp_path: Path) -> Path:
    for name in ("catalog", "pyproject.toml"):
        source = TEMPLATE_ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        else:
            shutil.copy2(source, tmp_path / name)
    return tmp_path


def test_a_preset_naming_a_tool_that_is_not_selectable_is_refused(tmp_path: Path) -> None:
    root = _catalog_copy(tmp_path)
    (root / "catalog" / "presets" / "aws.yaml").write_text(
        yaml.safe_dump({"id": "aws", "label": "AWS", "description": "a broken preset", "order": 3, "stages": {}})
        + "stages:\n  serving: tensorrt\n"
    )
    with pytest.raises(CatalogError, match="preset 'aws': serving=tensorrt is not a selectable choice"):
        load_catalog(root)


def test_the_preset_config_files_are_current() -> None:
    assert presets.stale(CATALOG, TEMPLATE_ROOT) == [], "run: python -m mlops_template.cookiecutter_json"


def test_a_stale_or_extra_preset_config_file_is_detected(tmp_path: Path) -> None:
    presets.write(CATALOG, tmp_path)
    assert presets.stale(CATALOG, tmp_path) == []
    aws = tmp_path / "presets" / "aws.yaml"
    aws.write_text(aws.read_text().replace("sagemaker", "airflow", 1))
    (tmp_path / "presets" / "old.yaml").write_text("default_context: {}\n")
    assert presets.stale(CATALOG, tmp_path) == [Path("presets/aws.yaml"), Path("presets/old.yaml")]
    presets.write(CATALOG, tmp_path)
    assert presets.stale(CATALOG, tmp_path) == []


def _cookiecutter(tmp_path: Path, *args: str) -> Path:
    """Plain cookiecutter in a subprocess, with its replay folder in ``tmp_path``."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key != "COOKIECUTTER_CONFIG"} | {"HOME": str(home)}
    output = tmp_path / "cookiecutter"
    subprocess.run(
        [tool("cookiecutter"), *args, str(TEMPLATE_ROOT), "-o", str(output)],
        check=True,
        env=env,
        capture_output=True,
        timeout=300,
    )
    return output / "iris-classifier"


@pytest.mark.parametrize("preset_id", PRESET_IDS)
def test_cookiecutter_config_file_and_the_cli_give_the_preset_project(
    preset_id: str, tmp_path: Path, catalog: Catalog
) -> None:
    config = TEMPLATE_ROOT / "presets" / f"{preset_id}.yaml"
    plain = _cookiecutter(tmp_path, "--no-input", "--config-file", str(config))
    saved = json.loads((plain / ANSWERS_FILE).read_text())["cookiecutter"]
    assert {stage: saved[stage] for stage in catalog.preset_answers(preset_id)} == catalog.preset_answers(preset_id)
    cli = tmp_path / "cli"
    subprocess.run(
        [tool("mlops-template"), "new", "--preset", preset_id, "--no-input", "-o", str(cli)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert tree(cli / "iris-classifier") == tree(plain)


def test_a_preset_under_set_answers(tmp_path: Path) -> None:
    """--set changes a stage of the preset; the rest stays the preset's."""
    args = ["new", "--preset", "aws", "--set", "serving=flask", "--no-input", "-o", str(tmp_path)]
    subprocess.run([tool("mlops-template"), *args], check=True, capture_output=True, timeout=300)
    saved = json.loads((tmp_path / "iris-classifier" / ANSWERS_FILE).read_text())["cookiecutter"]
    assert saved["serving"] == "flask"
    assert saved["orchestration"] == "sagemaker"


@pytest.mark.parametrize("command", [["new", "--no-input"], ["catalog"]])
def test_an_unknown_preset_is_one_clear_error(command: list[str], tmp_path: Path) -> None:
    result = subprocess.run(
        [tool("mlops-template"), *command, "--preset", "gcp", *(["-o", str(tmp_path)] if "new" in command else [])],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"unknown preset 'gcp': choose one of {', '.join(PRESET_IDS)}" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 2  # "cannot continue:" and the one problem
    assert list(tmp_path.iterdir()) == []


def test_unknown_preset_from_python_names_the_known_ones(catalog: Catalog) -> None:
    with pytest.raises(AnswersError, match="choose one of laptop, "):
        catalog.preset("nope")


def test_every_stage_has_a_declared_family(catalog: Catalog) -> None:
    families = {family.id for family in catalog.families}
    assert [family.id for family in catalog.families] == ["data", "training", "delivery", "operations"]
    assert all(stage.family in families for stage in catalog.stages)
    assert all(catalog.family_stages(family) for family in families), "a family no stage of which is asked"


def test_opening_one_family_asks_only_its_stages(tmp_path: Path, catalog: Catalog) -> None:
    """--preset, then open the delivery family only: its stages are asked with the preset's tools first."""
    preset = catalog.preset_answers("open-source-kubernetes")
    families = [family.id for family in catalog.families if catalog.family_stages(family.id)]
    child = spawn("new", "--preset", "open-source-kubernetes", "-o", str(tmp_path), cwd=tmp_path)
    child.logfile_read = seen = io.StringIO()
    for question in catalog.project_questions:
        answer(child, question.prompt)
    child.expect_exact(prompt.FAMILIES_QUESTION)
    child.expect_exact(prompt.family_summary(catalog, "data", preset).split(";")[0])
    child.send(DOWN * families.index("delivery") + SPACE + ENTER)
    delivery = catalog.family_stages("delivery")
    serving = catalog.stage("serving")
    asked = []
    for stage in delivery:
        keys = ENTER
        if stage.id == "serving":
            keys = DOWN * (serving.choices.index("flask") - serving.choices.index(preset["serving"])) + ENTER
        answer(child, stage.question, keys)
        asked.append(stage.id)
        chosen = "flask" if stage.id == "serving" else preset[stage.id]
        offer = stage.offer(chosen)
        for question in offer.questions if offer else ():
            answer(child, question.prompt)
    child.expect_exact("Your stack:")
    skipped = [s.question for s in catalog.prompted_stages if s.family != "delivery"]
    assert [question for question in skipped if question in seen.getvalue()] == []
    assert prompt.PRESET_QUESTION not in seen.getvalue(), "--preset was given: the preset is not asked"
    answer(child, "Generate this project?")
    child.expect(pexpect.EOF)
    saved = json.loads((tmp_path / "iris-classifier" / ANSWERS_FILE).read_text())["cookiecutter"]
    assert {stage: saved[stage] for stage in preset} == preset | {"serving": "flask"}
    assert asked == [stage.id for stage in delivery]


def test_a_reopened_stage_disables_what_the_unopened_families_rule_out(catalog: Catalog) -> None:
    """Only the opened families are asked; the others are decided, so their rules hold."""
    preset = catalog.preset_answers("open-source-kubernetes")
    decided = {key: value for key, value in preset.items() if catalog.stage(key).family != "delivery"}
    none = catalog.stage("packaging").offer("none")
    assert none is not None
    assert disabled_reason(catalog, none, decided)


def test_the_slow_tier_installs_every_preset_and_no_more_stacks_than_before(catalog: Catalog) -> None:
    """The covering stacks start from the presets; a stack holds one orchestrator, so the stage with the
    most choices bounds the count from below, and the greedy packing reaches that bound."""
    stacks = tool_covering_stacks(catalog)
    for stack in preset_stacks(catalog):
        assert stack in stacks, f"{stack_id(stack)} is not installed by the slow tier"
    fewest = max(len(stage.choices) for stage in catalog.prompted_stages)
    assert len(stacks) == fewest, [stack_id(stack) for stack in stacks]
