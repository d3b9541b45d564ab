"""Kubeflow Pipelines (v2) definition of the training pipeline, and its compiler.

Each component runs in the project's container image and calls the same
``{{ cookiecutter.package_name }}.steps`` functions as the local runner; Kubeflow moves
the files between them as artifacts. Compile with
``{{ cookiecutter.project_slug }}-compile-pipeline`` and upload the YAML to Kubeflow.
"""

# No `from __future__ import annotations`: kfp reads the component signatures' real types.
import argparse
import os
from pathlib import Path

from kfp import compiler, dsl
from kfp.dsl import Dataset, Input, Metrics, Model, Output

# The image built from this repository's Dockerfile; override at compile time.
IMAGE = os.environ.get("PIPELINE_IMAGE", "{{ cookiecutter.__pipeline_image }}")


# Component bodies run on their own inside the container, so they import
# what they use themselves.
@dsl.component(base_image=IMAGE)
def ingest(dataset: Output[Dataset]) -> int:
    from pathlib import Path

    from {{ cookiecutter.package_name }} import steps

    return steps.ingest(Path(dataset.path))


@dsl.component(base_image=IMAGE)
def split(dataset: Input[Dataset], train: Output[Dataset], test: Output[Dataset], test_size: float, seed: int) -> None:
    from pathlib import Path

    from {{ cookiecutter.package_name }} import steps

    steps.split(Path(dataset.path), Path(train.path), Path(test.path), test_size=test_size, seed=seed)


@dsl.component(base_image=IMAGE)
def train(train: Input[Dataset], model: Output[Model], regularization: float, max_iter: int) -> None:
    from pathlib import Path

    from {{ cookiecutter.package_name }} import steps
    from {{ cookiecutter.package_name }}.model import TrainingParams

    steps.train(Path(train.path), Path(model.path), TrainingParams(regularization=regularization, max_iter=max_iter))


@dsl.component(base_image=IMAGE)
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


@dsl.component(base_image=IMAGE)
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
    ingested = ingest()
    parts = split(dataset=ingested.outputs["dataset"], test_size=test_size, seed=seed)
    trained = train(train=parts.outputs["train"], regularization=regularization, max_iter=max_iter)
    scored = evaluate(
        model=trained.outputs["model"],
        train=parts.outputs["train"],
        test=parts.outputs["test"],
        regularization=regularization,
        max_iter=max_iter,
    )
    register(model=trained.outputs["model"], test=parts.outputs["test"]).after(scored)


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
