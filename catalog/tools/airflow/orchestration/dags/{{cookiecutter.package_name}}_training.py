"""Airflow DAG: the training pipeline, one task per step.

The tasks call the same ``{{ cookiecutter.package_name }}.steps`` functions as the local
runner and hand files to each other through XCom (as paths, never data), so
they can run on different workers that share ``WORK_DIR``. The project's
modules are imported inside the tasks: the scheduler parses this file often
and must not load scikit-learn or a tracking client to do it.
Trigger it by hand or with ``airflow dags test {{ cookiecutter.package_name }}_training``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Param, dag, get_current_context, task

DEFAULT_ARGS = {
    "retries": 2,
    "retry_delay": timedelta(minutes=1),
    "execution_timeout": timedelta(minutes=30),
}


def _run_dir() -> str:
    """A folder of the current DAG run, named after its run id."""
    import re

    from {{ cookiecutter.package_name }}.config import Settings

    run_id = str(get_current_context()["run_id"])
    return str(Settings.from_env().work_dir / re.sub(r"[^A-Za-z0-9_.-]", "_", run_id))


@dag(
    dag_id="{{ cookiecutter.package_name }}_training",
    schedule=None,
    start_date=datetime(2025, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    params={
        "regularization": Param(1.0, type="number", exclusiveMinimum=0),
        "max_iter": Param(500, type="integer", minimum=1),
    },
    tags=["training"],
    doc_md=__doc__,
)
def training_pipeline() -> None:
    @task
    def ingest() -> str:
        from pathlib import Path

        from {{ cookiecutter.package_name }} import steps

        dataset = Path(_run_dir()) / "dataset.csv"
        steps.ingest(dataset)
        return str(dataset)

    @task(multiple_outputs=True)
    def split(dataset: str) -> dict[str, str]:
        from pathlib import Path

        from {{ cookiecutter.package_name }} import steps
        from {{ cookiecutter.package_name }}.config import Settings

        settings = Settings.from_env()
        train, test = Path(_run_dir()) / "train.csv", Path(_run_dir()) / "test.csv"
        steps.split(Path(dataset), train, test, test_size=settings.test_size, seed=settings.random_seed)
        return {"train": str(train), "test": str(test)}

    @task
    def train(train_path: str) -> str:
        from pathlib import Path

        from {{ cookiecutter.package_name }} import steps
        from {{ cookiecutter.package_name }}.model import TrainingParams

        chosen = get_current_context()["params"]
        model = Path(_run_dir()) / "model.joblib"
        steps.train(Path(train_path), model, TrainingParams(chosen["regularization"], chosen["max_iter"]))
        return str(model)

    # A model below the quality gate stays below it: retrying cannot help.
    @task(retries=0)
    def evaluate(model_path: str, train_path: str, test_path: str) -> dict[str, float]:
        from pathlib import Path

        from {{ cookiecutter.package_name }} import steps
        from {{ cookiecutter.package_name }}.config import Settings
        from {{ cookiecutter.package_name }}.model import TrainingParams

        chosen = get_current_context()["params"]
        params = TrainingParams(chosen["regularization"], chosen["max_iter"])
        return steps.evaluate(Path(model_path), Path(train_path), Path(test_path), params, Settings.from_env())

    @task
    def register(model_path: str, test_path: str) -> str:
        from pathlib import Path

        from {{ cookiecutter.package_name }} import steps
        from {{ cookiecutter.package_name }}.config import Settings

        return steps.register(Path(model_path), Path(test_path), Settings.from_env())

    parts = split(ingest())
    model = train(parts["train"])
    evaluate(model, parts["train"], parts["test"]) >> register(model, parts["test"])


training_pipeline()
