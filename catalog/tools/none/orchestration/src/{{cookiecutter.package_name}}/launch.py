"""Start a training run with no orchestrator: the local pipeline, in this process."""

from __future__ import annotations

import logging

from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.pipeline import run_pipeline

logger = logging.getLogger(__name__)


def start_training(reason: str) -> str:
    """Run every step here and return the run's folder, which names the run."""
    logger.info("training locally: %s", reason)
    return str(run_pipeline(Settings.from_env()).run_dir)
