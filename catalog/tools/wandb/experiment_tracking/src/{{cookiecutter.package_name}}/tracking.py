"""Record training runs with Weights & Biases, offline by default.

With the default ``WANDB_MODE=offline`` each run is written to
``$WANDB_DIR/wandb/offline-run-<time>-<id>/`` with no account and no network;
``wandb sync`` (``make wandb-sync``) uploads the runs later. Set
``WANDB_MODE=online`` after ``wandb login`` to stream runs as they happen.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import wandb


def wandb_dir() -> Path:
    """The folder holding W&B's ``wandb/`` folder of runs (``WANDB_DIR``), made absolute.

    W&B writes the run files from a background service that lives as long as the
    process and resolves relative paths against its own start folder, so a run
    started after a change of working directory would go missing.
    """
    return Path(os.environ.get("WANDB_DIR", ".")).resolve()


def _active_run() -> wandb.Run:
    if wandb.run is None:
        raise RuntimeError("no W&B run is active: call the tracking functions inside start_run()")
    return wandb.run


@contextmanager
def start_run(run_name: str) -> Iterator[str]:
    """Open a run for the calls inside the ``with`` block; yield its id. Leaving the block finishes the run."""
    with wandb.init(
        project=os.environ.get("WANDB_PROJECT", "{{ cookiecutter.project_slug }}"),
        name=run_name,
        # W&B reads and validates WANDB_MODE itself; only its default (online, which needs a login) is overridden.
        mode=None if os.environ.get("WANDB_MODE") else "offline",
        dir=wandb_dir(),
    ) as run:
        yield run.id


def log_params(params: Mapping[str, float | int | str]) -> None:
    _active_run().config.update(dict(params))


def log_metrics(metrics: Mapping[str, float]) -> None:
    """Log one history step; W&B also keeps the values as the run's summary."""
    _active_run().log(dict(metrics))


def _log_file(path: Path, name: str, artifact_type: str, metadata: dict[str, str]) -> None:
    artifact = wandb.Artifact(name=name, type=artifact_type, metadata=metadata)
    # The pipeline writes every file once, into a folder of its own, so "immutable" is true and spares a
    # copy into W&B's per-user staging folder (outside the project); `wandb sync` reads the file from here.
    artifact.add_file(str(path.resolve()), name=path.name, policy="immutable")
    _active_run().log_artifact(artifact)


def log_dataset(path: Path, context: str) -> None:
    """Record the data set as a ``dataset`` artifact named after its use (``train-dataset``, ``test-dataset``)."""
    _log_file(path, f"{context}-dataset", "dataset", {"context": context, "source": str(path.resolve())})


def log_model(model_path: Path) -> None:
    """Keep the trained model file with the run as a ``model`` artifact; the registry publishes it separately."""
    _log_file(model_path, "model", "model", {"source": str(model_path.resolve())})


def log_gate(passed: bool, threshold: float) -> None:
    run = _active_run()
    run.summary["quality_gate"] = "passed" if passed else "failed"
    run.config.update({"min_accuracy": threshold})
