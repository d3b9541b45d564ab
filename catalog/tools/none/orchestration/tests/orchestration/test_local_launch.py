"""With no orchestrator, starting a training run runs the local pipeline to the registry."""

from __future__ import annotations

from pathlib import Path

from {{ cookiecutter.package_name }} import launch, registry
from {{ cookiecutter.package_name }}.config import Settings


def test_a_started_run_is_a_finished_local_run_with_a_registered_model(settings: Settings) -> None:
    run_dir = Path(launch.start_training("unit test"))
    assert (run_dir / "model.joblib").is_file()
    assert registry.alias_metrics("champion", settings) is not None
