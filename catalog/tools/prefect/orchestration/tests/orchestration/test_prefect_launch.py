"""Starting a training run on Prefect: a run of the deployment when one is named, else the flow here.

Both against a real Prefect API: the temporary server Prefect starts for a local
run, or the one of ``prefect_test_harness``, with the deployment registered on it
as ``make flow-deploy`` would (no worker picks the run up: it stays scheduled).
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
from prefect import get_client
from prefect.testing.utilities import prefect_test_harness

from {{ cookiecutter.package_name }} import launch, registry
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.prefect_flow import FLOW_NAME, training_flow


@pytest.mark.integration
def test_without_a_deployment_the_flow_runs_here_and_registers_a_model(
    launch_runs_here: bool, settings: Settings
) -> None:
    assert launch_runs_here
    run_id = launch.start_training("integration test")
    assert uuid.UUID(run_id)
    assert registry.alias_metrics("champion", settings) is not None


@pytest.mark.integration
def test_with_a_deployment_a_flow_run_is_scheduled_for_its_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    with prefect_test_harness(server_startup_timeout=120):
        training_flow.to_deployment(name="training").apply()
        monkeypatch.setenv("PREFECT_DEPLOYMENT", f"{FLOW_NAME}/training")
        run_id = launch.start_training("drift on petal_length")

        async def read() -> tuple[str, list[str]]:
            async with get_client() as client:
                flow_run = await client.read_flow_run(uuid.UUID(run_id))
                return str(flow_run.state_type), list(flow_run.tags)

        state, tags = asyncio.run(read())
    assert state.endswith("SCHEDULED")
    assert "retrain" in tags
