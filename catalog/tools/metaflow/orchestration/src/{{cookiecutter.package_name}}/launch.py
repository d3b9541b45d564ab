"""Start a training run of the Metaflow flow: ``flows/training_flow.py run``, through Metaflow's Runner.

The flow runs where Metaflow's configuration says (locally by default; Kubernetes,
AWS Batch with ``--with kubernetes`` and the like in ``METAFLOW_*`` settings), and
this returns the run's pathspec (``Flow/run id``) once it finished.
"""

from __future__ import annotations

import logging
from pathlib import Path

from metaflow import Runner

FLOW_FILE = Path(__file__).resolve().parents[2] / "flows" / "training_flow.py"

logger = logging.getLogger(__name__)


def start_training(reason: str) -> str:
    logger.info("training with Metaflow: %s", reason)
    with Runner(str(FLOW_FILE), show_output=False) as runner:
        executing = runner.run(tags=["retrain"])
        if executing.status != "successful":
            raise RuntimeError(f"the Metaflow run failed:\n{executing.stderr[-3000:]}")
        return str(executing.run.pathspec)
