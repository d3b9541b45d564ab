"""Start a training run of the DVC pipeline: ``dvc repro --force`` in the repository here.

Forced, because a retrain request is a reason DVC cannot see (new data behind
``ingest``, a drifted model): every stage runs. This returns, once the run
finished, the content hash of the model it produced as ``dvc.lock`` records it.
"""

from __future__ import annotations

import logging
import subprocess
import sys

from dvc.repo import Repo

logger = logging.getLogger(__name__)


def start_training(reason: str) -> str:
    logger.info("training with dvc repro: %s", reason)
    result = subprocess.run([sys.executable, "-m", "dvc", "repro", "--force"], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"dvc repro failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    with Repo(".") as repo:
        outs = [out for stage in repo.index.stages for out in stage.outs]
    model = next(out for out in outs if out.def_path.endswith("model.joblib"))
    return f"{model.def_path}@{model.hash_info.value}"
