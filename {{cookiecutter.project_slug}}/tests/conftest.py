"""Fixtures that keep every test's data, models{% if cookiecutter.experiment_tracking == 'mlflow' %} and MLflow store{% endif %} in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.pipeline import PipelineResult, run_pipeline


@pytest.fixture
def settings_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Environment variables that point every setting into ``tmp_path``."""
    env = {
        "WORK_DIR": str(tmp_path / "artifacts"),
{%- if cookiecutter.experiment_tracking == 'mlflow' %}
        "MLFLOW_TRACKING_URI": f"sqlite:///{tmp_path / 'mlflow.db'}",
        "MLFLOW_ARTIFACT_ROOT": str(tmp_path / "mlartifacts"),
{%- endif %}
{%- if cookiecutter.model_registry != 'mlflow' %}
        "MODEL_PATH": str(tmp_path / "models" / "model.joblib"),
{%- endif %}
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture
def settings(settings_env: dict[str, str]) -> Settings:
    return Settings.from_env()


@pytest.fixture
def trained(settings: Settings) -> PipelineResult:
    """One full local pipeline run."""
    return run_pipeline(settings)
