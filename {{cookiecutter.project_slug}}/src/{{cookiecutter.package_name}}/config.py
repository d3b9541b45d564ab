"""Settings every stage shares, read from environment variables (documented in ``.env.example``).

Each stage module (``tracking``, ``registry``, ``service``) reads its own tool's
settings; only what the pipeline itself needs lives here. Every default works
on a laptop with no server.
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
    """The name models are published under."""
    model_alias: str
    """The alias serving loads; training moves it only to a model that beats the one holding it."""
    min_accuracy: float
    """Quality gate: a model below this test accuracy is not published."""
    test_size: float
    random_seed: int

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ.get
        return cls(
            work_dir=Path(env("WORK_DIR", "artifacts")),
            model_name=env("MODEL_NAME", "{{ cookiecutter.package_name }}"),
            model_alias=env("MODEL_ALIAS", "champion"),
            min_accuracy=float(env("MIN_ACCURACY", "0.8")),
            test_size=float(env("TEST_SIZE", "0.2")),
            random_seed=int(env("RANDOM_SEED", "42")),
        )
