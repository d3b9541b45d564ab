"""Cookiecutter user-config files of the catalog's presets (``presets/<id>.yaml``).

Each file's ``default_context`` names the preset's tool for every asked stage.
cookiecutter moves a choice named there to the front of its list, so

    cookiecutter --config-file presets/aws.yaml <template>

with Enter on every question (or ``--no-input``) gives the preset's project.
``python -m mlops_template.cookiecutter_json`` writes these files with
``cookiecutter.json``; ``--check`` fails when one is stale.
"""

from __future__ import annotations

from pathlib import Path

from mlops_template.catalog import Catalog, Preset
from mlops_template.serialize import yaml_document

PRESETS_DIR = "presets"


def header(preset: Preset) -> str:
    return (
        f"# {preset.label}: {preset.description}\n"
        "# Written by `python -m mlops_template.cookiecutter_json` from catalog/presets/; do not edit.\n"
        f"# Use: cookiecutter --config-file presets/{preset.id}.yaml <this template>\n"
    )


def config_file(catalog: Catalog, preset: Preset) -> str:
    return header(preset) + yaml_document({"default_context": catalog.preset_answers(preset.id)})


def config_files(catalog: Catalog) -> dict[Path, str]:
    """Each preset's file, keyed by its path relative to the template checkout."""
    return {Path(PRESETS_DIR) / f"{preset.id}.yaml": config_file(catalog, preset) for preset in catalog.presets}


def stale(catalog: Catalog, root: Path) -> list[Path]:
    """The preset files under ``root`` that differ from the catalog's, are missing, or name no preset."""
    expected = config_files(catalog)
    present = {path.relative_to(root) for path in (root / PRESETS_DIR).glob("*.yaml")}
    wrong = [path for path, text in expected.items() if path not in present or (root / path).read_text() != text]
    return sorted(wrong + [path for path in present if path not in expected])


def write(catalog: Catalog, root: Path) -> None:
    expected = config_files(catalog)
    (root / PRESETS_DIR).mkdir(exist_ok=True)
    for path in (root / PRESETS_DIR).glob("*.yaml"):
        if path.relative_to(root) not in expected:
            path.unlink()
    for path, text in expected.items():
        (root / path).write_text(text, encoding="utf-8")
