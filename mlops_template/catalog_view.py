"""Text views of the catalog for ``mlops-template catalog``."""

from __future__ import annotations

from mlops_template.catalog import NONE_ID, Catalog, Preset, Stage
from mlops_template.diagram import flowchart

KIND_LABELS = {"open_source": "open source", "managed_service": "managed", "commercial": "commercial"}


def _table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def overview(catalog: Catalog) -> str:
    """Every stage and tool: id, whether it can be generated, kind, link."""
    rows: list[tuple[str, ...]] = [("stage", "tool", "status", "kind", "link")]
    for stage in catalog.stages:
        for offer in stage.offers:
            if offer.tool_id == NONE_ID:
                continue
            status = "selectable" if offer.selectable else "reference only"
            rows.append((stage.id, offer.tool_id, status, KIND_LABELS[offer.kind], offer.link))
    presets = [(preset.id, preset.description) for preset in catalog.presets]
    return _table(rows) + "\n\n" + _table([("preset", "what it is"), *presets])


def stage_detail(stage: Stage) -> str:
    lines = [f"{stage.label} ({stage.id})", stage.description, f"Question: {stage.question}", ""]
    for offer in stage.offers:
        marker = "*" if offer.selectable else "-"
        default = " [default]" if offer.selectable and offer.tool_id == stage.default else ""
        lines.append(f"{marker} {offer.tool_id}: {offer.label}{default}")
        lines.append(f"    {offer.description}")
        if offer.tool_id != NONE_ID:
            lines.append(f"    {KIND_LABELS[offer.kind]}, {offer.license}, {offer.link}")
        packages = offer.packages + offer.extra_packages
        if packages:
            lines.append(f"    adds: {', '.join(packages)}")
        for rule in offer.requires:
            lines.append(f"    requires {rule.describe()}: {rule.message}")
        for rule in offer.conflicts:
            lines.append(f"    conflicts with {rule.describe()}: {rule.message}")
    lines.append("")
    lines.append("* selectable now, - catalogued for reference")
    return "\n".join(lines)


def preset_detail(catalog: Catalog, preset: Preset) -> str:
    """A preset's tool per asked stage, then its stack as the Mermaid flowchart the README draws."""
    answers = catalog.preset_answers(preset.id)
    rows: list[tuple[str, ...]] = [("stage", "tool", "label")]
    for stage in catalog.prompted_stages:
        offer = stage.offer(answers[stage.id])
        rows.append((stage.id, answers[stage.id], offer.label if offer else ""))
    lines = [f"{preset.label} ({preset.id})", preset.description, "", _table(rows), ""]
    lines += ["```mermaid", flowchart(catalog, answers).rstrip("\n"), "```"]
    lines += ["", f"Generate it: mlops-template new --preset {preset.id}"]
    return "\n".join(lines)
