"""The Kubeflow pipeline compiles with the kfp compiler and runs locally with kfp's local runner."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from kfp import local

from {{ cookiecutter.package_name }} import registry
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.kubeflow_pipeline import compile_pipeline, settings, training_pipeline

STEPS = ["ingest", "split", "train", "evaluate", "register"]


def test_pipeline_compiles_to_a_kfp_v2_spec(tmp_path: Path) -> None:
    spec = yaml.safe_load(compile_pipeline(tmp_path / "pipeline.yaml").read_text())
    assert spec["pipelineInfo"]["name"] == "{{ cookiecutter.project_slug }}-training"
    assert spec["schemaVersion"] == "2.1.0"
    tasks = spec["root"]["dag"]["tasks"]
    assert sorted(tasks) == sorted(STEPS)
    assert sorted(tasks["register"]["dependentTasks"]) == ["evaluate", "split", "train"]
    images = {executor["container"]["image"] for executor in spec["deploymentSpec"]["executors"].values()}
    assert images == {"{{ cookiecutter.__image }}"}


@pytest.mark.integration
def test_compiled_tasks_run_in_the_image_as_built_with_the_settings(tmp_path: Path) -> None:
    """Nothing is installed when a pod starts, every setting reaches every task, side effects are not cached."""
    spec = yaml.safe_load(compile_pipeline(tmp_path / "pipeline.yaml").read_text())
    executors = spec["deploymentSpec"]["executors"]
    tasks = spec["root"]["dag"]["tasks"]
    names = set(settings())
    assert names, ".env.example lists the project's settings"
    for executor in executors.values():
        container = executor["container"]
        assert "pip install" not in " ".join(container["command"] + container.get("args", []))
        assert {variable["name"] for variable in container["env"]} >= names
        assert container["resources"]["resourceCpuLimit"]
        assert container["resources"]["resourceMemoryLimit"]
    for step in ("ingest", "evaluate", "register"):
        assert not tasks[step]["cachingOptions"].get("enableCache"), f"{step} has side effects"
    assert tasks["train"]["cachingOptions"]["enableCache"]
    assert tasks["train"]["retryPolicy"]["maxRetryCount"] == 2
    assert "retryPolicy" not in tasks["evaluate"]


def test_pipeline_runs_locally_and_publishes_the_model(tmp_path: Path, settings: Settings) -> None:
    # The subprocess runner executes each component with this interpreter, where
    # the package is installed, instead of pulling the container image.
    local.init(runner=local.SubprocessRunner(use_venv=False), pipeline_root=str(tmp_path / "kfp"))
    run = training_pipeline()
    assert run is not None
    assert registry.load_model(settings) is not None
