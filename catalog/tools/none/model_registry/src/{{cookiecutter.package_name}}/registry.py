"""Publish models as local files, with no registry server.

Each published version is a numbered joblib file under ``MODEL_DIR``; promoting
a version copies it to ``MODEL_DIR/current.joblib``, the file serving loads.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import joblib
import pandas as pd
from sklearn.pipeline import Pipeline

from {{ cookiecutter.package_name }}.config import Settings


class ModelNotFoundError(LookupError):
    """No model has been promoted yet: run the training pipeline first."""


def _model_dir(settings: Settings) -> Path:
    return Path(os.environ.get("MODEL_DIR", "models")) / settings.model_name


def _current(settings: Settings) -> Path:
    return _model_dir(settings) / "current.joblib"


def model_uri(settings: Settings) -> str:
    return _current(settings).resolve().as_uri()


def publish(model: Pipeline, example: pd.DataFrame, settings: Settings) -> str:
    """Save ``model`` as the next version and return its number (``example`` needs no registry here)."""
    del example
    folder = _model_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    version = str(1 + sum(1 for _ in folder.glob("v*.joblib")))
    joblib.dump(model, folder / f"v{version}.joblib")
    return version


def promote(version: str, settings: Settings) -> None:
    """Make ``version`` the model serving loads; the copy is replaced atomically."""
    staged = _current(settings).with_suffix(".tmp")
    shutil.copyfile(_model_dir(settings) / f"v{version}.joblib", staged)
    staged.replace(_current(settings))


def load_model(settings: Settings) -> Pipeline:
    path = _current(settings)
    if not path.is_file():
        raise ModelNotFoundError(f"no model at {path}: run the training pipeline first")
    model: Pipeline = joblib.load(path)
    return model
