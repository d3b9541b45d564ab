"""Starting a training run on Kubeflow Pipelines: here with the local runner when no host is configured.

The cluster case (``KFP_HOST``) goes through ``kfp.Client``, which needs a
Kubeflow Pipelines API server; none can run here, so it is not tested.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from {{ cookiecutter.package_name }} import launch, registry
from {{ cookiecutter.package_name }}.config import Settings


@pytest.mark.integration
def test_without_a_host_the_local_runner_runs_the_pipeline_and_registers_a_model(settings: Settings) -> None:
    pipeline_root = Path(launch.start_training("integration test"))
    assert pipeline_root.is_dir(), "the run's artifacts are kept under WORK_DIR"
    assert registry.alias_metrics("champion", settings) is not None
