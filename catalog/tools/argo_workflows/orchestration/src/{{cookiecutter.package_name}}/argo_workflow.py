"""Argo Workflows definition of the training pipeline, built with Hera, and the script that writes its YAML.

Each step is one container in the project's image running the same command as a
local step, ``{{ cookiecutter.project_slug }}-step <step> --run-dir DIR``: the image
already holds the package, so nothing is installed when a pod starts and Hera is
needed only here, where the YAML is written. The steps hand each other files in
one run folder on a volume that Argo creates for the run. Every setting in
``.env.example`` reaches every step as an environment variable, with the value it
has where the YAML is written. Write it with ``{{ cookiecutter.project_slug }}-argo-workflow``
and submit it with ``argo submit``.
"""

from __future__ import annotations

import argparse
import itertools
import os
from pathlib import Path

from hera.expr import g
from hera.workflows import DAG, Container, Resources, RetryStrategy, Task, Volume, Workflow
from hera.workflows.models import Backoff, IntOrString, PodSecurityContext, VolumeClaimGC

from {{ cookiecutter.package_name }}.model import TrainingParams

# The image built from this repository's Dockerfile; override when writing the YAML.
IMAGE = os.environ.get("IMAGE", "{{ cookiecutter.__image }}")
STEP_COMMAND = "{{ cookiecutter.project_slug }}-step"
ENV_EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"
# The Dockerfile's unprivileged user: the volume is made writable for its group.
IMAGE_USER = 10001

WORKSPACE = "/workspace"
# Argo fills these in when it starts a step: the run's own folder, and the
# hyper-parameters given to `argo submit -p`.
RUN_DIR = f"{WORKSPACE}/{g.workflow.name:$}"
HYPER_PARAMETERS = [
    "--regularization",
    f"{g.workflow.parameters.regularization:$}",
    "--max-iter",
    f"{g.workflow.parameters.max_iter:$}",
]

# Each step is retried on any failure, pod evictions included, after 30 s, then 60 s.
RETRY = RetryStrategy(
    # Quoted: IntOrString fields, written as Argo's schema and examples write them.
    limit="2",
    retry_policy="Always",
    backoff=Backoff(duration="30s", factor=IntOrString("2"), max_duration="5m"),
)
# One volume per run, shared by its steps one after the other (so ReadWriteOnce
# suffices); it is kept after a failed run, to inspect its files, and deleted after a success.
RUN_VOLUME = Volume(name="workspace", mount_path=WORKSPACE, size="1Gi", access_modes=["ReadWriteOnce"])


def settings() -> dict[str, str]:
    """The project's settings: ``.env.example``'s defaults, overridden by the shell writing the YAML."""
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines() if ENV_EXAMPLE.is_file() else []
    defaults = dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))
    return {name: os.environ.get(name, default) for name, default in defaults.items()}


def _step(name: str, *extra_args: str, retry: RetryStrategy | None = RETRY) -> Container:
    """The container template of one step: the project's step command, in the image, on the run's volume."""
    return Container(
        name=name,
        image=IMAGE,
        command=[STEP_COMMAND],
        args=[name, "--run-dir", RUN_DIR, *extra_args],
        env=settings(),
        # Relative settings (local stores, WORK_DIR) resolve on the shared volume, as they do in one folder locally.
        working_dir=WORKSPACE,
        volumes=[RUN_VOLUME],
        resources=Resources(cpu_request="500m", cpu_limit="1", memory_request="512Mi", memory_limit="2Gi"),
        retry_strategy=retry,
    )


def build_workflow(params: TrainingParams | None = None) -> Workflow:
    """The training workflow; ``params`` are the defaults of its parameters (``argo submit -p`` overrides them)."""
    with Workflow(
        generate_name="{{ cookiecutter.project_slug }}-training-",
        entrypoint="training",
        labels={"app.kubernetes.io/part-of": "{{ cookiecutter.project_slug }}"},
        arguments=(params or TrainingParams()).as_dict(),
        security_context=PodSecurityContext(run_as_non_root=True, run_as_user=IMAGE_USER, fs_group=IMAGE_USER),
        volume_claim_gc=VolumeClaimGC(strategy="OnWorkflowSuccess"),
    ) as workflow:
        ingest = _step("ingest")
        split = _step("split")
        train = _step("train", *HYPER_PARAMETERS)
        # A model below the quality gate stays below it: the gate is never retried.
        evaluate = _step("evaluate", *HYPER_PARAMETERS, retry=None)
        register = _step("register")
        with DAG(name="training"):
            tasks = [
                Task(name="ingest", template=ingest),
                Task(name="split", template=split),
                Task(name="train", template=train),
                Task(name="evaluate", template=evaluate),
                Task(name="register", template=register),
            ]
            # A chain: each step starts once the one before it has succeeded.
            for before, after in itertools.pairwise(tasks):
                before >> after
    return workflow


def write_workflow(output: Path, workflow: Workflow | None = None) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text((workflow or build_workflow()).to_yaml(), encoding="utf-8")
    return output


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the Argo Workflow of the training pipeline as YAML.")
    parser.add_argument("--output", type=Path, default=Path("argo/workflow.yaml"))
    parser.add_argument("--regularization", type=float, default=TrainingParams.regularization)
    parser.add_argument("--max-iter", type=int, default=TrainingParams.max_iter)
    args = parser.parse_args(argv)
    params = TrainingParams(regularization=args.regularization, max_iter=args.max_iter)
    print(write_workflow(args.output, build_workflow(params)))


if __name__ == "__main__":
    main()
