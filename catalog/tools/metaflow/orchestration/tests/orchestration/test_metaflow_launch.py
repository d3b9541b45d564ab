"""Starting a training run with Metaflow: the flow runs through Metaflow's Runner, to the registry."""

from __future__ import annotations

import pytest

from {{ cookiecutter.package_name }} import launch, registry
from {{ cookiecutter.package_name }}.config import Settings


@pytest.mark.integration
def test_a_started_run_is_a_successful_flow_run_with_a_registered_model(
    launch_runs_here: bool, settings: Settings
) -> None:
    assert launch_runs_here
    pathspec = launch.start_training("integration test")
    assert pathspec.startswith("{{ cookiecutter.package_name.title().replace('_', '') }}TrainingFlow/")
    assert registry.alias_metrics("champion", settings) is not None
