"""What only ML Metadata needs to prove: the graph it stores, and lineage across processes."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ml_metadata import proto

from {{ cookiecutter.package_name }} import lineage
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.pipeline import RunFiles, run_pipeline


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


def _in_a_new_process(code: str, *files: Path) -> None:
    """Run ``code`` in a fresh interpreter that shares nothing with this one but ``files`` (its ``files`` list)."""
    prelude = (
        "import sys; from pathlib import Path; from {{ cookiecutter.package_name }} import lineage; "
        "files = [Path(arg) for arg in sys.argv[1:]]; "
    )
    subprocess.run([sys.executable, "-c", prelude + code, *map(str, files)], check=True, timeout=120)


def test_lineage_holds_when_every_step_runs_in_its_own_process(
    workdir: Path, recorded_lineage: Callable[[Path], dict[str, Any] | None]
) -> None:
    """As under an orchestrator: each record comes from a process that knows only the run's files.

    The processes make the calls the steps make, with the same arguments, rather
    than run the whole ``-step`` command: the same proof, many seconds faster.
    """
    files = RunFiles(workdir / "run-by-step")
    files.run_dir.mkdir()
    for path, text in ((files.dataset, "a\n1\n2\n"), (files.train, "a\n1\n"), (files.test, "a\n2\n")):
        path.write_text(text, encoding="utf-8")
    files.model.write_bytes(b"model")
    split = "lineage.record_split(files[0], files[1], files[2], test_size=0.5, seed=7)"
    _in_a_new_process(split, files.dataset, files.train, files.test)
    training = "lineage.record_training(*files, {'regularization': 0.5}, {'accuracy': 0.9}, passed=True)"
    _in_a_new_process(training, files.train, files.test, files.model)
    _in_a_new_process("lineage.record_publication(files[0], '3')", files.model)
    found = recorded_lineage(files.model)
    assert found is not None
    assert found["dataset"] == files.dataset.resolve()
    assert found["params"] == {"regularization": "0.5"}
    assert found["metrics"] == {"accuracy": 0.9}
    assert found["gate"] == "passed"
    assert found["version"] == "3"


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
