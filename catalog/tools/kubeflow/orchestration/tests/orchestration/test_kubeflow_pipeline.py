"""The Kubeflow pipeline compiles with the kfp compiler and runs locally with kfp's local runner."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from kfp import local

from {{ cookiecutter.package_name }} import registry
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.kubeflow_pipeline import compile_pipeline, training_pipeline

STEPS = ["ingest", "split", "train", "evaluate", "register"]


def test_pipeline_compiles_to_a_kfp_v2_spec(tmp_path: Path) -> None:
    spec = yaml.safe_load(compile_pipeline(tmp_path / "pipeline.yaml").read_text())
    assert spec["pipelineInfo"]["name"] == "{{ cookiecutter.project_slug }}-training"
    assert spec["schemaVersion"] == "2.1.0"
    tasks = spec["root"]["dag"]["tasks"]
    assert sorted(tasks) == sorted(STEPS)
    assert sorted(tasks["register"]["dependentTasks"]) == ["evaluate", "split", "train"]
    images = {executor["container"]["image"] for executor in spec["deploymentSpec"]["executors"].values()}
    assert images == {"{{ cookiecutter.__pipeline_image }}"}


@pytest.mark.integration
def test_pipeline_runs_locally_and_publishes_the_model(tmp_path: Path, settings: Settings) -> None:
    # The subprocess runner executes each component with this interpreter, where
    # the package is installed, instead of pulling the container image.
    local.init(runner=local.SubprocessRunner(use_venv=False), pipeline_root=str(tmp_path / "kfp"))
    run = training_pipeline()
    assert run is not None
    assert registry.load_model(settings) is not None
