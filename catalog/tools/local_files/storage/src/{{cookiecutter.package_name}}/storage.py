"""Storage in a local folder: ``STORAGE_DIR`` (default ``data``) holds every key as a file.

The default for a laptop and for tests: no server, and ``uri`` gives paths
that pandas, MLflow and DVC read directly. Tables are CSV files, so any tool
(and a person) can open them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd


def _root() -> Path:
    return Path(os.environ.get("STORAGE_DIR", "data"))


def _path(key: str) -> Path:
    path = (_root() / key).resolve()
    if not path.is_relative_to(_root().resolve()):
        raise ValueError(f"storage key {key!r} points outside {_root()}")
    return path


def uri(key: str) -> str:
    return _path(key).as_uri()


def exists(key: str) -> bool:
    return _path(key).is_file()


def upload(local: Path, key: str) -> str:
    target = _path(key)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(local, target)
    return uri(key)


def download(key: str, local: Path) -> Path:
    source = _path(key)
    if not source.is_file():
        raise FileNotFoundError(f"no {key} in {_root()}")
    local.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, local)
    return local


def write_table(key: str, frame: pd.DataFrame) -> str:
    target = _path(key)
    target.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(target, index=False)
    return uri(key)


def read_table(key: str) -> pd.DataFrame:
    source = _path(key)
    if not source.is_file():
        raise FileNotFoundError(f"no {key} in {_root()}")
    return pd.read_csv(source)
