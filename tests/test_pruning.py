"""Files owned by unchosen tools are removed, using only the catalog's ownership globs."""

from __future__ import annotations

from pathlib import Path

from mlops_template.catalog import Catalog
from mlops_template.pruning import prune, unselected_files
from tests.helpers import defaults

FILES = [
    "README.md",
    "dags/pkg_training.py",
    "tests/test_airflow_dag.py",
    "src/pkg/kubeflow_pipeline.py",
    "tests/test_kubeflow_pipeline.py",
    "src/pkg/tracking.py",
    "src/pkg/steps.py",
]


def test_airflow_stack_drops_kubeflow_files(catalog: Catalog) -> None:
    answers = defaults(catalog, package_name="pkg")
    assert unselected_files(catalog, answers, FILES) == [
        "src/pkg/kubeflow_pipeline.py",
        "tests/test_kubeflow_pipeline.py",
    ]


def test_no_orchestrator_and_no_tracking(catalog: Catalog) -> None:
    answers = defaults(
        catalog, package_name="pkg", orchestration="none", experiment_tracking="none", model_registry="none"
    )
    assert unselected_files(catalog, answers, FILES) == [
        "dags/pkg_training.py",
        "tests/test_airflow_dag.py",
        "src/pkg/kubeflow_pipeline.py",
        "tests/test_kubeflow_pipeline.py",
        "src/pkg/tracking.py",
    ]


def test_prune_removes_files_and_empty_folders(catalog: Catalog, tmp_path: Path) -> None:
    for relative in FILES:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x")
    removed = prune(catalog, defaults(catalog, package_name="pkg", orchestration="kubeflow"), tmp_path)
    assert removed == ["dags/pkg_training.py", "tests/test_airflow_dag.py"]
    assert not (tmp_path / "dags").exists()
    assert (tmp_path / "src/pkg/kubeflow_pipeline.py").exists()


def test_prune_drops_bytecode_caches(catalog: Catalog, tmp_path: Path) -> None:
    (tmp_path / "src" / "pkg" / "__pycache__").mkdir(parents=True)
    (tmp_path / "src" / "pkg" / "__pycache__" / "steps.cpython-311.pyc").write_bytes(b"\x00")
    (tmp_path / "src" / "pkg" / "steps.py").write_text("x")
    prune(catalog, defaults(catalog, package_name="pkg"), tmp_path)
    assert [p.name for p in (tmp_path / "src" / "pkg").iterdir()] == ["steps.py"]
