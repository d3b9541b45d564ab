"""Where MLflow keeps runs and models: one answer for the tracking and the registry modules."""

from __future__ import annotations

import os
from pathlib import Path


def tracking_uri() -> str:
    """``MLFLOW_TRACKING_URI``, with a relative SQLite path made absolute.

    MLflow caches one store per URI string, so a relative path would keep
    pointing at the folder it was first resolved in.
    """
    uri = os.environ.get("MLFLOW_TRACKING_URI", "sqlite:///mlflow.db")
    prefix = "sqlite:///"
    if uri.startswith(prefix) and not uri.startswith(prefix + "/"):
        return prefix + str(Path(uri.removeprefix(prefix)).resolve())
    return uri
