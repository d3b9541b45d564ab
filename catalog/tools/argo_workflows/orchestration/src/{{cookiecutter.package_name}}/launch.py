"""Start a training run of the Argo Workflow: on the cluster when a server is configured, else here.

With ``ARGO_SERVER`` set (the Argo Server, e.g. ``https://argo-server.argo:2746``),
the workflow is submitted through Hera's ``WorkflowsService`` in ``ARGO_NAMESPACE``
(with ``ARGO_TOKEN`` as bearer token when set) and this returns the workflow's
name at once. Unset, the workflow's own step commands run here, in its order,
on a run folder under ``WORK_DIR`` in place of its volume, and this returns that
folder when the last step finished.
"""

from __future__ import annotations

import logging
import os
import subprocess
from datetime import UTC, datetime
from typing import Any

from hera.expr import g
from hera.workflows import WorkflowsService

from {{ cookiecutter.package_name }}.argo_workflow import WORKSPACE, build_workflow
from {{ cookiecutter.package_name }}.config import Settings

logger = logging.getLogger(__name__)


def _submit(server: str, reason: str) -> str:
    workflow = build_workflow()
    workflow.namespace = os.environ.get("ARGO_NAMESPACE", "argo")
    workflow.annotations = {"{{ cookiecutter.project_slug }}/reason": reason}
    workflow.workflows_service = WorkflowsService(host=server, token=os.environ.get("ARGO_TOKEN") or None)
    created = workflow.create()
    return str(created.metadata.name)


def _local_commands(name: str) -> list[list[str]]:
    """Each step's command as Argo would start it, with the workflow's name and parameters filled in."""
    document: dict[str, Any] = build_workflow().to_dict()["spec"]
    values = {f"{g.workflow.name:$}": name} | {
        f"{getattr(g.workflow.parameters, p['name']):$}": str(p["value"]) for p in document["arguments"]["parameters"]
    }
    templates = {template["name"]: template for template in document["templates"]}
    dag = templates[document["entrypoint"]]["dag"]["tasks"]
    commands = []
    for task in dag:
        container = templates[task["template"]]["container"]
        command = [*container["command"], *container["args"]]
        for expression, value in values.items():
            command = [part.replace(expression, value) for part in command]
        commands.append(command)
    return commands


def _run_locally() -> str:
    name = f"{{ cookiecutter.project_slug }}-training-{datetime.now(UTC):%Y%m%dt%H%M%S}"
    work_dir = Settings.from_env().work_dir.resolve()
    for command in _local_commands(name):
        subprocess.run([part.replace(WORKSPACE, str(work_dir)) for part in command], check=True)
    return str(work_dir / name)


def start_training(reason: str) -> str:
    server = os.environ.get("ARGO_SERVER", "")
    logger.info("training on Argo Workflows (%s): %s", server or "here", reason)
    return _submit(server, reason) if server else _run_locally()
