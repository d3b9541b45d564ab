"""Start a training run on Prefect: a run of the deployment when one is named, else the flow here.

``PREFECT_DEPLOYMENT`` names the deployment (``{{ cookiecutter.project_slug }}-training/training``,
registered by ``make flow-deploy``) on the server in ``PREFECT_API_URL``; its
workers pick the run up, and this returns at once with the run's id. Unset, the
flow runs in this process (on a temporary Prefect server unless
``PREFECT_API_URL`` is set) and this returns when it finished.
"""

from __future__ import annotations

import logging
import os

from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment

from {{ cookiecutter.package_name }}.prefect_flow import training_flow

logger = logging.getLogger(__name__)


def start_training(reason: str) -> str:
    deployment = os.environ.get("PREFECT_DEPLOYMENT", "")
    logger.info("training on Prefect (%s): %s", deployment or "this process", reason)
    if deployment:
        flow_run = run_deployment(deployment, timeout=0, tags=["retrain"])
        # Typed for async callers too; called from sync code, it returned the run itself.
        assert isinstance(flow_run, FlowRun)
        return str(flow_run.id)
    state = training_flow(return_state=True)
    state.result()  # raises what the flow raised: a failed run is not a started one
    return str(state.state_details.flow_run_id)
