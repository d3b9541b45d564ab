"""The hooks read the catalog once per generation: the pre-generation hook hands it to the post-generation hook."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import pytest
from cookiecutter.main import cookiecutter

from mlops_template import hooks
from mlops_template.catalog import load_catalog, read_raw
from mlops_template.errors import AnswersError
from mlops_template.generate import resolve
from tests.helpers import CATALOG, TEMPLATE_ROOT


def test_the_catalog_handed_between_the_hooks_is_the_catalog(tmp_path: Path) -> None:
    hooks.pre_generate(resolve(TEMPLATE_ROOT, CATALOG, {}), TEMPLATE_ROOT, tmp_path)
    handoff = json.loads((tmp_path / hooks.CATALOG_HANDOFF).read_text(encoding="utf-8"))
    assert load_catalog(TEMPLATE_ROOT, handoff) == CATALOG


def test_refused_answers_hand_nothing_on(tmp_path: Path) -> None:
    with pytest.raises(AnswersError):
        hooks.pre_generate(resolve(TEMPLATE_ROOT, CATALOG, {}) | {"serving": "kserve"}, TEMPLATE_ROOT, tmp_path)
    assert not (tmp_path / hooks.CATALOG_HANDOFF).exists()


def test_a_catalog_json_cannot_hold_is_read_again_by_the_post_hook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def dated(root: Path) -> dict[str, object]:
        raw = read_raw(root)
        raw["catalog/project.yaml"]["reviewed"] = datetime.date(2026, 12, 4)
        return raw

    monkeypatch.setattr(hooks, "read_raw", dated)
    hooks.pre_generate(resolve(TEMPLATE_ROOT, CATALOG, {}), TEMPLATE_ROOT, tmp_path)
    assert not (tmp_path / hooks.CATALOG_HANDOFF).exists()


def test_a_generated_project_keeps_no_handoff(tmp_path: Path) -> None:
    project = Path(cookiecutter(str(TEMPLATE_ROOT), no_input=True, output_dir=str(tmp_path)))
    assert (project / "pyproject.toml").is_file()
    assert not (project / hooks.CATALOG_HANDOFF).exists()
    shutil.rmtree(project)
