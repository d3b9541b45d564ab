"""Start a training run of the DVC pipeline: ``dvc repro --force`` in the repository here.

Forced, because a retrain request is a reason DVC cannot see (new data behind
``ingest``, a drifted model): every stage runs. This returns, once the run
finished, the content hash of the model it produced as ``dvc.lock`` records it.
"""

from __future__ import annotations

import logging

from dvc.repo import Repo

logger = logging.getLogger(__name__)


def start_training(reason: str) -> str:
    logger.info("training with dvc repro: %s", reason)
    with Repo(".") as repo:
        stages = repo.reproduce(force=True)
    model = next(out for stage in stages for out in stage.outs if out.def_path.endswith("model.joblib"))
    return f"{model.def_path}@{model.hash_info.value}"
