"""What only ML Metadata needs to prove: the graph it stores, and lineage across processes."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ml_metadata import proto

from {{ cookiecutter.package_name }} import lineage
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.pipeline import STEPS, RunFiles, run_pipeline

STEP_COMMAND = Path(sys.executable).parent / "{{ cookiecutter.project_slug }}-step"


def test_the_store_holds_typed_artifacts_executions_and_the_pipeline_context(settings: Settings) -> None:
    files = RunFiles(run_pipeline(settings).run_dir)
    store = lineage.connect()
    assert lineage.store_path() == (Path.cwd() / "mlmd.sqlite").resolve()
    datasets = store.get_artifacts_by_type(lineage.DATASET)
    expected = (files.dataset, files.train, files.test)
    assert sorted(a.uri for a in datasets) == sorted(lineage.uri_of(path) for path in expected)
    (model,) = store.get_artifacts_by_type(lineage.MODEL)
    assert model.uri == lineage.uri_of(files.model)
    assert model.properties["quality_gate"].string_value == "passed"
    assert model.properties["version"].string_value
    (trainer,) = store.get_executions_by_type(lineage.TRAINER)
    assert trainer.last_known_state == proto.Execution.COMPLETE
    assert len(trainer.custom_properties["git_commit"].string_value) > 0
    (splitter,) = store.get_executions_by_type(lineage.SPLITTER)
    assert splitter.properties["seed"].int_value == settings.random_seed
    pipeline = store.get_context_by_type_and_name(lineage.PIPELINE, lineage.PIPELINE_NAME)
    assert pipeline is not None
    assert {e.id for e in store.get_executions_by_context(pipeline.id)} == {trainer.id, splitter.id}
    assert {a.id for a in store.get_artifacts_by_context(pipeline.id)} == {model.id, *(a.id for a in datasets)}


def test_lineage_holds_when_every_step_runs_in_its_own_process(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, recorded_lineage: Callable[[Path], dict[str, Any] | None]
) -> None:
    """As an orchestrator runs them: one ``-step`` command per step on a shared run folder."""
    files = RunFiles(workdir / "run-by-step")
    monkeypatch.setenv("MLMD_SQLITE_PATH", str(workdir / "lineage.sqlite"))
    for step in STEPS:
        subprocess.run([str(STEP_COMMAND), step, "--run-dir", str(files.run_dir)], check=True, timeout=300)
    found = recorded_lineage(files.model)
    assert found is not None
    assert found["dataset"] == files.dataset.resolve()
    assert found["gate"] == "passed"
    assert found["version"]


def test_a_changed_file_at_the_same_path_is_a_new_artifact(workdir: Path) -> None:
    """Artifacts are identified by URI and content, so re-running a step on the same folder keeps history."""
    dataset, train, test = (workdir / f"{name}.csv" for name in ("dataset", "train", "test"))
    for path in (dataset, train, test):
        path.write_text("a\n1\n", encoding="utf-8")
    lineage.record_split(dataset, train, test, test_size=0.5, seed=1)
    train.write_text("a\n2\n", encoding="utf-8")
    lineage.record_split(dataset, train, test, test_size=0.5, seed=2)
    store = lineage.connect()
    trains = store.get_artifacts_by_uri(lineage.uri_of(train))
    assert len(trains) == 2
    assert len(store.get_artifacts_by_uri(lineage.uri_of(dataset))) == 1
