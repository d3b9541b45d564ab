"""Every test starts from the documented defaults, in its own empty folder.

The settings named in ``.env.example`` are cleared, so nothing from the shell
(an exported ``MIN_ACCURACY`` or tracking URI) leaks into a test, and the
working directory is a fresh temporary folder, so every relative default
(local stores, model files) lands there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.pipeline import PipelineResult, run_pipeline

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _setting_names() -> list[str]:
    env_example = PROJECT_ROOT / ".env.example"
    if not env_example.is_file():
        return []
    lines = env_example.read_text(encoding="utf-8").splitlines()
    return [line.split("=", 1)[0] for line in lines if "=" in line and not line.startswith("#")]


@pytest.fixture(autouse=True)
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in _setting_names():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def settings(workdir: Path) -> Settings:
    return Settings.from_env()


@pytest.fixture
def trained(settings: Settings) -> PipelineResult:
    """One full local pipeline run."""
    return run_pipeline(settings)
