"""Runtime settings, read from environment variables (documented in ``.env.example``).

Every default works on a laptop with no server: local folders
{%- if cookiecutter.experiment_tracking == 'mlflow' %} and a SQLite-backed MLflow{% endif %}.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    work_dir: Path
    """Where pipeline runs write their intermediate data and model files."""
    model_name: str
    min_accuracy: float
    """Quality gate: a model below this test accuracy is not registered."""
    test_size: float
    random_seed: int
{%- if cookiecutter.experiment_tracking == 'mlflow' %}
    tracking_uri: str
    experiment_name: str
    artifact_root: Path
    """Where MLflow stores run artifacts when it creates the experiment."""
{%- endif %}
{%- if cookiecutter.model_registry == 'mlflow' %}
    model_alias: str
    """The registry alias that serving loads, e.g. ``models:/<name>@champion``."""
{%- else %}
    model_path: Path
    """The published model file that serving loads."""
{%- endif %}

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ.get
        return cls(
            work_dir=Path(env("WORK_DIR", "artifacts")),
            model_name=env("MODEL_NAME", "{{ cookiecutter.package_name }}"),
            min_accuracy=float(env("MIN_ACCURACY", "0.8")),
            test_size=float(env("TEST_SIZE", "0.2")),
            random_seed=int(env("RANDOM_SEED", "42")),
{%- if cookiecutter.experiment_tracking == 'mlflow' %}
            tracking_uri=env("MLFLOW_TRACKING_URI", "sqlite:///mlflow.db"),
            experiment_name=env("MLFLOW_EXPERIMENT_NAME", "{{ cookiecutter.project_slug }}"),
            artifact_root=Path(env("MLFLOW_ARTIFACT_ROOT", "mlartifacts")),
{%- endif %}
{%- if cookiecutter.model_registry == 'mlflow' %}
            model_alias=env("MODEL_ALIAS", "champion"),
{%- else %}
            model_path=Path(env("MODEL_PATH", "models/model.joblib")),
{%- endif %}
        )
