"""Publish models as local files, with no registry server.

Each published version is a numbered joblib file under ``MODEL_DIR/<MODEL_NAME>``
with its metrics beside it; an alias (``champion``, ``challenger``) is a small
file naming a version. Serving loads the version behind ``MODEL_ALIAS``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import joblib
import pandas as pd
from sklearn.pipeline import Pipeline

from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.errors import ModelNotFoundError


def _model_dir(settings: Settings) -> Path:
    return Path(os.environ.get("MODEL_DIR", "models")) / settings.model_name


def _version_of(alias: str, settings: Settings) -> str | None:
    pointer = _model_dir(settings) / f"{alias}.alias"
    return pointer.read_text(encoding="utf-8").strip() if pointer.is_file() else None


def model_uri(settings: Settings) -> str:
    return f"{_model_dir(settings).resolve().as_uri()}@{settings.model_alias}"


def version_uri(version: str, settings: Settings) -> str:
    return (_model_dir(settings) / f"v{version}.joblib").resolve().as_uri()


def publish(model: Pipeline, example: pd.DataFrame, metrics: dict[str, float], settings: Settings) -> str:
    """Save ``model`` and its ``metrics`` as the next version; return its number.

    ``example`` documents the input in a real registry; a file needs none.
    """
    del example
    folder = _model_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    version = str(1 + sum(1 for _ in folder.glob("v*.joblib")))
    (folder / f"v{version}.json").write_text(json.dumps(metrics), encoding="utf-8")
    joblib.dump(model, folder / f"v{version}.joblib")
    return version


def set_alias(version: str, alias: str, settings: Settings) -> None:
    """Point ``alias`` at ``version``; the pointer is replaced atomically, so serving never sees half a file."""
    pointer = _model_dir(settings) / f"{alias}.alias"
    staged = pointer.with_suffix(".tmp")
    staged.write_text(version, encoding="utf-8")
    staged.replace(pointer)


def alias_metrics(alias: str, settings: Settings) -> dict[str, float] | None:
    """The metrics of the version behind ``alias``, or None when no version holds it."""
    version = _version_of(alias, settings)
    if version is None:
        return None
    metrics: dict[str, float] = json.loads((_model_dir(settings) / f"v{version}.json").read_text(encoding="utf-8"))
    return metrics


def load_model(settings: Settings) -> Pipeline:
    version = _version_of(settings.model_alias, settings)
    if version is None:
        raise ModelNotFoundError(f"no model at {model_uri(settings)}: run the training pipeline first")
    model: Pipeline = joblib.load(_model_dir(settings) / f"v{version}.joblib")
    return model
