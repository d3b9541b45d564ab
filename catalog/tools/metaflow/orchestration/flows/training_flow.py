"""Metaflow flow: the training pipeline, one Metaflow step per pipeline step.

The steps call the same ``{{ cookiecutter.package_name }}.steps`` functions as the local
runner and hand files to each other as artifacts that hold paths, never data:
every file of a run lands in one run folder under ``WORK_DIR``, named after the
Metaflow run id. The project's modules are imported inside the steps, so
``show``, ``check`` and deployments parse this file without loading
scikit-learn or a tracking client.

Run it with ``python flows/training_flow.py run`` (``make flow``), optionally with
``--regularization 0.5 --max_iter 200``; browse past runs with the client API
(``metaflow.Flow("{{ cookiecutter.package_name.title().replace('_', '') }}TrainingFlow")``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from metaflow import FlowSpec, Parameter, current, retry, step

if TYPE_CHECKING:
    from {{ cookiecutter.package_name }}.model import TrainingParams

# Transient failures (a busy tracking server, a slow disk) get another chance.
RETRIES = 2


class {{ cookiecutter.package_name.title().replace('_', '') }}TrainingFlow(FlowSpec):
    """Ingest, split, train, evaluate and register the model; the run fails at the quality gate."""

    regularization = Parameter("regularization", help="Inverse regularization strength (C)", type=float, default=1.0)
    max_iter = Parameter("max_iter", help="Maximum solver iterations", type=int, default=500)

    @retry(times=RETRIES, minutes_between_retries=1)
    @step
    def start(self) -> None:
        """Pick the run folder every later step writes in."""
        from {{ cookiecutter.package_name }}.config import Settings

        self.run_dir = str(Settings.from_env().work_dir / f"metaflow-{current.run_id}")
        self.next(self.ingest)

    @retry(times=RETRIES, minutes_between_retries=1)
    @step
    def ingest(self) -> None:
        """Load and validate the data set into the run folder."""
        from pathlib import Path

        from {{ cookiecutter.package_name }} import steps

        self.dataset = str(Path(self.run_dir) / "dataset.csv")
        self.rows = steps.ingest(Path(self.dataset))
        self.next(self.split)

    @retry(times=RETRIES, minutes_between_retries=1)
    @step
    def split(self) -> None:
        """Split the data set into train and test files."""
        from pathlib import Path

        from {{ cookiecutter.package_name }} import steps
        from {{ cookiecutter.package_name }}.config import Settings

        settings = Settings.from_env()
        self.train_data = str(Path(self.run_dir) / "train.csv")
        self.test_data = str(Path(self.run_dir) / "test.csv")
        steps.split(
            Path(self.dataset),
            Path(self.train_data),
            Path(self.test_data),
            test_size=settings.test_size,
            seed=settings.random_seed,
        )
        self.next(self.train)

    @retry(times=RETRIES, minutes_between_retries=1)
    @step
    def train(self) -> None:
        """Fit the model on the train file."""
        from pathlib import Path

        from {{ cookiecutter.package_name }} import steps

        self.model = str(Path(self.run_dir) / "model.joblib")
        steps.train(Path(self.train_data), Path(self.model), self._params())
        self.next(self.evaluate)

    # A model below the quality gate stays below it: times=0 also keeps `--with retry` from retrying it.
    @retry(times=0)
    @step
    def evaluate(self) -> None:
        """Score the model, record the run, and stop the flow below the quality gate."""
        from pathlib import Path

        from {{ cookiecutter.package_name }} import steps
        from {{ cookiecutter.package_name }}.config import Settings

        self.metrics = steps.evaluate(
            Path(self.model), Path(self.train_data), Path(self.test_data), self._params(), Settings.from_env()
        )
        self.next(self.register)

    @retry(times=RETRIES, minutes_between_retries=1)
    @step
    def register(self) -> None:
        """Publish the model; it becomes the champion only if it beats the current one."""
        from pathlib import Path

        from {{ cookiecutter.package_name }} import steps
        from {{ cookiecutter.package_name }}.config import Settings

        self.model_uri = steps.register(Path(self.model), Path(self.test_data), Settings.from_env())
        self.next(self.end)

    @step
    def end(self) -> None:
        """Report the score and the URI serving loads."""
        print(f"accuracy={self.metrics['accuracy']:.3f} model={self.model_uri}")

    def _params(self) -> TrainingParams:
        from {{ cookiecutter.package_name }}.model import TrainingParams

        # On a running flow Metaflow replaces each Parameter with its value, already of the declared type.
        return TrainingParams(regularization=cast(float, self.regularization), max_iter=cast(int, self.max_iter))


if __name__ == "__main__":
    {{ cookiecutter.package_name.title().replace('_', '') }}TrainingFlow()
