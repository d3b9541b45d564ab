"""The stack at a glance: the generated README's Mermaid flowchart, read back by Mermaid's own parser.

Mermaid (with jsdom for the window it expects) is installed once with ``npm ci`` from
``tests/mermaid/package-lock.json`` into a cache folder (``npm_packages``), then parses every diagram in one
Node process and reports the boxes, arrows and subgraphs it read.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cookiecutter.main import cookiecutter

from mlops_template.catalog import NONE_ID, TEMPLATE_ROOT, Catalog
from mlops_template.diagram import _quoted, box_label, flowchart, steps
from tests.helpers import CATALOG, defaults, npm_packages, preset_stacks, tool, tool_covering_stacks

MERMAID = Path(__file__).parent / "mermaid"
STACKS = [defaults(CATALOG) | stack for stack in tool_covering_stacks(CATALOG) + preset_stacks(CATALOG)]
# Every stage answered "none" where it can be: the fewest boxes a project draws.
BARE = defaults(CATALOG) | {s.id: NONE_ID for s in CATALOG.prompted_stages if NONE_ID in s.choices}
BARE |= {"packaging": NONE_ID}


def parse(diagrams: list[str]) -> list[dict[str, Any]]:
    """What Mermaid reads from each diagram: its type, boxes, edges and subgraphs, or its parse error."""
    folder = npm_packages(MERMAID)
    shutil.copy2(MERMAID / "inspect.mjs", folder / "inspect.mjs")
    result = subprocess.run(
        ["node", "inspect.mjs"],
        cwd=folder,
        input=json.dumps(diagrams),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return list(json.loads(result.stdout))


@pytest.fixture(scope="module")
def parsed() -> list[dict[str, Any]]:
    return parse([flowchart(CATALOG, answers) for answers in [*STACKS, BARE]])


def test_mermaid_refuses_a_broken_diagram() -> None:
    """The check can fail: Mermaid reports a syntax error instead of a diagram."""
    [broken] = parse(['flowchart LR\n  storage["Local files"] -->\n  subgraph x["X"]\n'])
    assert "error" in broken


@pytest.mark.parametrize("index", range(len(STACKS) + 1))
def test_every_stack_draws_its_chosen_tools_in_the_flow_order(
    index: int, parsed: list[dict[str, Any]], catalog: Catalog
) -> None:
    answers = [*STACKS, BARE][index]
    read = parsed[index]
    assert "error" not in read, read.get("error")
    assert read["type"].startswith("flowchart")
    drawn = steps(catalog, answers)
    # One subgraph per drawn step, titled by the step, holding exactly the chosen tools' boxes.
    assert [(s["id"], s["title"]) for s in read["subgraphs"]] == [(f"{s.id}_step", s.label) for s, _ in drawn]
    boxes = {v["id"]: v["text"] for v in read["vertices"] if not v["id"].endswith("_step")}
    chosen = {o.stage_id: box_label(o) for o in catalog.chosen_offers(answers) if o.tool_id != NONE_ID}
    in_flow = {stage_id for step in catalog.flow for stage_id in step.stage_ids}
    built_in = {f"{s.id}_built_in": s.built_in for s, _ in drawn if s.built_in}
    assert boxes == {k: v for k, v in chosen.items() if k in in_flow} | built_in
    for subgraph, (step, offers) in zip(read["subgraphs"], drawn, strict=True):
        expected = [o.stage_id for o in offers] + ([f"{step.id}_built_in"] if step.built_in else [])
        assert sorted(subgraph["nodes"]) == sorted(expected)
    # Solid arrows chain the drawn steps left to right; dashed ones loop back.
    solid = [(e["start"], e["end"]) for e in read["edges"] if e["stroke"] == "normal"]
    ids = [f"{s.id}_step" for s, _ in drawn]
    assert solid == list(itertools.pairwise(ids))
    dashed = [(e["start"], e["end"]) for e in read["edges"] if e["stroke"] == "dotted"]
    drawn_ids = {s.id for s, _ in drawn}
    assert dashed == [(f"{s.id}_step", f"{s.returns_to}_step") for s, _ in drawn if s.returns_to in drawn_ids]


def test_stages_answered_none_are_left_out() -> None:
    text = flowchart(CATALOG, BARE)
    for stage in CATALOG.prompted_stages:
        if BARE[stage.id] == NONE_ID:
            assert f"    {stage.id}[" not in text
    # A step with no tool is not drawn, but the retraining every project has is.
    assert [step.id for step, _ in steps(CATALOG, BARE)] == [
        step.id for step in CATALOG.flow if step.built_in or step.id in ("data", "serving")
    ]


def test_a_label_with_quotes_keeps_them() -> None:
    """Raw quotes inside a Mermaid string are dropped (the label reads 'say hi'); the entity keeps them."""
    label = 'say "hi"'
    raw, escaped = parse([f'flowchart LR\n  a["{label}"]\n', f"flowchart LR\n  a[{_quoted(label)}]\n"])
    assert raw["vertices"][0]["text"] == "say hi"
    assert escaped["vertices"][0]["text"] != "say hi"
    assert "quot" in escaped["vertices"][0]["text"]


def test_every_generated_readme_holds_the_diagram_of_its_stack(tmp_path: Path, catalog: Catalog) -> None:
    aws = defaults(catalog) | catalog.preset_answers("aws")
    project = Path(
        cookiecutter(
            str(TEMPLATE_ROOT),
            no_input=True,
            output_dir=str(tmp_path),
            extra_context={key: aws[key] for key in catalog.question_keys if key in aws},
        )
    )
    readme = (project / "README.md").read_text()
    assert f"```mermaid\n{flowchart(catalog, aws)}```" in readme


def test_catalog_preset_prints_the_same_diagram(catalog: Catalog) -> None:
    for preset in catalog.presets:
        result = subprocess.run(
            [tool("mlops-template"), "catalog", "--preset", preset.id], capture_output=True, text=True, check=True
        )
        assert f"```mermaid\n{flowchart(catalog, catalog.preset_answers(preset.id))}```" in result.stdout
