"""Kubeflow Pipelines (v2) definition of the training pipeline, and its compiler.

Each component runs in the project's container image, which already holds this
package and kfp (nothing is installed when a pod starts), and calls the same
``{{ cookiecutter.package_name }}.steps`` functions as the local runner; Kubeflow moves
the files between them as artifacts. Every setting in ``.env.example`` reaches
every task as an environment variable, with the value it has where the pipeline
is compiled. Compile with ``{{ cookiecutter.project_slug }}-compile-pipeline`` and
upload the YAML to Kubeflow.
"""

# No `from __future__ import annotations`: kfp reads the component signatures' real types.
import argparse
import os
from pathlib import Path

from kfp import compiler, dsl
from kfp.dsl import Dataset, Input, Metrics, Model, Output

# The image built from this repository's Dockerfile; override at compile time.
IMAGE = os.environ.get("IMAGE", "{{ cookiecutter.__image }}")
ENV_EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"
RETRIES = 2


def settings() -> dict[str, str]:
    """The project's settings: ``.env.example``'s defaults, overridden by the compiling shell."""
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines() if ENV_EXAMPLE.is_file() else []
    defaults = dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))
    return {name: os.environ.get(name, default) for name, default in defaults.items()}


def _configure(task: dsl.PipelineTask, *, cache: bool, retries: int = RETRIES) -> dsl.PipelineTask:
    """Settings, retries and resources every step needs; ``cache`` only for steps without side effects."""
    for name, value in settings().items():
        task.set_env_variable(name, value)
    task.set_caching_options(cache)
    if retries:
        task.set_retry(num_retries=retries)
    task.set_cpu_request("500m").set_cpu_limit("1")
    task.set_memory_request("512M").set_memory_limit("2G")
    return task


# Component bodies run on their own inside the container, so they import
# what they use themselves.
@dsl.component(base_image=IMAGE, install_kfp_package=False)
def ingest(dataset: Output[Dataset]) -> int:
    from pathlib import Path

    from {{ cookiecutter.package_name }} import steps

    return steps.ingest(Path(dataset.path))


@dsl.component(base_image=IMAGE, install_kfp_package=False)
def split(dataset: Input[Dataset], train: Output[Dataset], test: Output[Dataset], test_size: float, seed: int) -> None:
    from pathlib import Path

    from {{ cookiecutter.package_name }} import steps

    steps.split(Path(dataset.path), Path(train.path), Path(test.path), test_size=test_size, seed=seed)


@dsl.component(base_image=IMAGE, install_kfp_package=False)
def train(train: Input[Dataset], model: Output[Model], regularization: float, max_iter: int) -> None:
    from pathlib import Path

    from {{ cookiecutter.package_name }} import steps
    from {{ cookiecutter.package_name }}.model import TrainingParams

    steps.train(Path(train.path), Path(model.path), TrainingParams(regularization=regularization, max_iter=max_iter))


@dsl.component(base_image=IMAGE, install_kfp_package=False)
def evaluate(
    model: Input[Model],
    train: Input[Dataset],
    test: Input[Dataset],
    regularization: float,
    max_iter: int,
    scores: Output[Metrics],
) -> None:
    from pathlib import Path

    from {{ cookiecutter.package_name }} import steps
    from {{ cookiecutter.package_name }}.config import Settings
    from {{ cookiecutter.package_name }}.model import TrainingParams

    params = TrainingParams(regularization=regularization, max_iter=max_iter)
    metrics = steps.evaluate(Path(model.path), Path(train.path), Path(test.path), params, Settings.from_env())
    for name, value in metrics.items():
        scores.log_metric(name, value)


@dsl.component(base_image=IMAGE, install_kfp_package=False)
def register(model: Input[Model], test: Input[Dataset]) -> str:
    from pathlib import Path

    from {{ cookiecutter.package_name }} import steps
    from {{ cookiecutter.package_name }}.config import Settings

    return steps.register(Path(model.path), Path(test.path), Settings.from_env())


@dsl.pipeline(
    name="{{ cookiecutter.project_slug }}-training",
    description={{ cookiecutter.description | quoted }},
)
def training_pipeline(
    test_size: float = 0.2,
    seed: int = 42,
    regularization: float = 1.0,
    max_iter: int = 500,
) -> None:
    # Ingest reads data that changes and register writes to the registry: never cached.
    ingested = _configure(ingest(), cache=False)
    parts = _configure(split(dataset=ingested.outputs["dataset"], test_size=test_size, seed=seed), cache=True)
    trained = _configure(
        train(train=parts.outputs["train"], regularization=regularization, max_iter=max_iter), cache=True
    )
    scored = _configure(
        evaluate(
            model=trained.outputs["model"],
            train=parts.outputs["train"],
            test=parts.outputs["test"],
            regularization=regularization,
            max_iter=max_iter,
        ),
        cache=False,
        retries=0,  # a model below the quality gate stays below it
    )
    _configure(register(model=trained.outputs["model"], test=parts.outputs["test"]), cache=False).after(scored)


def compile_pipeline(output: Path) -> Path:
    compiler.Compiler().compile(training_pipeline, package_path=str(output))
    return output


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Compile the Kubeflow pipeline to YAML.")
    parser.add_argument("--output", type=Path, default=Path("pipeline.yaml"))
    args = parser.parse_args(argv)
    print(compile_pipeline(args.output))


if __name__ == "__main__":
    main()
