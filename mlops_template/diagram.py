"""The stack at a glance: a Mermaid flowchart of the chosen tools, built from the catalog's ``flow``.

Each step of ``catalog/stages.yaml``'s ``flow`` is a subgraph holding one box per
chosen tool of its stages, named by the tool's label; stages answered ``none``
are left out, and so is a step left with no box (unless it has a ``built_in``
part every project has). Arrows join the steps left to right; ``returns_to``
draws a dashed arrow back. The generated README and ``mlops-template catalog
--preset`` print the same text.
"""

from __future__ import annotations

import itertools
from typing import Any

from mlops_template.catalog import NONE_ID, Catalog, FlowStep, Offer


def box_label(offer: Offer) -> str:
    """The tool's label without its parenthesised detail: "Kubernetes (container image + ...)" -> "Kubernetes"."""
    return offer.label.split(" (")[0]


def _quoted(text: str) -> str:
    """A Mermaid string: double quotes inside are written as the entity Mermaid reads back."""
    return '"' + text.replace('"', "#quot;") + '"'


def _step_id(step: FlowStep) -> str:
    # Steps and stages share names (serving): the suffix keeps the subgraphs' ids apart from the boxes'.
    return f"{step.id}_step"


def steps(catalog: Catalog, answers: dict[str, Any]) -> list[tuple[FlowStep, list[Offer]]]:
    """The flow's steps that are drawn for ``answers``, each with its chosen offers in the step's order."""
    drawn = []
    for step in catalog.flow:
        offers = []
        for stage_id in step.stage_ids:
            stage = catalog.stage(stage_id)
            if not stage.selectable:
                continue
            offer = stage.offer(str(answers.get(stage_id, stage.default)))
            if offer is not None and offer.selectable and offer.tool_id != NONE_ID:
                offers.append(offer)
        if offers or step.built_in:
            drawn.append((step, offers))
    return drawn


def flowchart(catalog: Catalog, answers: dict[str, Any]) -> str:
    """The Mermaid ``flowchart LR`` source of the stack ``answers`` choose (no fences)."""
    drawn = steps(catalog, answers)
    lines = ["flowchart LR"]
    for step, offers in drawn:
        lines.append(f"  subgraph {_step_id(step)}[{_quoted(step.label)}]")
        lines += [f"    {offer.stage_id}[{_quoted(box_label(offer))}]" for offer in offers]
        if step.built_in:
            lines.append(f"    {step.id}_built_in[{_quoted(step.built_in)}]")
        lines.append("  end")
    lines += [f"  {_step_id(a)} --> {_step_id(b)}" for (a, _), (b, _) in itertools.pairwise(drawn)]
    ids = {step.id for step, _ in drawn}
    by_id = {step.id: step for step, _ in drawn}
    for step, _ in drawn:
        if step.returns_to in ids:
            lines.append(f"  {_step_id(step)} -.-> {_step_id(by_id[step.returns_to])}")
    return "\n".join(lines) + "\n"
