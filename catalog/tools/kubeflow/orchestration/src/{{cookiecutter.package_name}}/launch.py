"""Start a training run of the Kubeflow pipeline: on the cluster when one is configured, else here.

With ``KFP_HOST`` set (the Kubeflow Pipelines API, e.g. ``http://ml-pipeline-ui.kubeflow``),
the pipeline is compiled and submitted with ``kfp.Client`` in the experiment
``KFP_EXPERIMENT`` and this returns the run's id at once. Unset, kfp's local
runner runs every component in a subprocess of this interpreter (where the
package is installed, instead of pulling the image) and this returns when the
run finished, with the folder the run's artifacts went to.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime

from kfp import Client, local

from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.kubeflow_pipeline import training_pipeline

logger = logging.getLogger(__name__)


def start_training(reason: str) -> str:
    host = os.environ.get("KFP_HOST", "")
    logger.info("training on Kubeflow Pipelines (%s): %s", host or "local runner", reason)
    run_name = f"retrain-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
    if host:
        client = Client(host=host)
        experiment = os.environ.get("KFP_EXPERIMENT", "{{ cookiecutter.project_slug }}")
        run = client.create_run_from_pipeline_func(training_pipeline, run_name=run_name, experiment_name=experiment)
        return str(run.run_id)
    pipeline_root = Settings.from_env().work_dir / "kfp" / run_name
    local.init(runner=local.SubprocessRunner(use_venv=False), pipeline_root=str(pipeline_root))
    training_pipeline()
    return str(pipeline_root)
