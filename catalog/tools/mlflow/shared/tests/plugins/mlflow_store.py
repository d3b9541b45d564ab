"""Every test's local MLflow store starts as a copy of one migrated, empty SQLite database.

Creating MLflow's tables replays its whole Alembic history, about two seconds
that every test that trains would pay again. Only a local SQLite store that does
not exist yet is seeded: a test pointing MLflow at a server, or at a store it
made itself, is left alone.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

from {{ cookiecutter.package_name }}.mlflow_store import tracking_uri

SQLITE = "sqlite:///"


@pytest.fixture(scope="session")
def migrated_mlflow_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mlflow-schema")
    database = folder / "mlflow.db"
    SqlAlchemyStore(f"{SQLITE}{database}", str(folder / "mlruns")).engine.dispose()
    return database


@pytest.fixture(autouse=True)
def mlflow_db(workdir: Path, migrated_mlflow_db: Path) -> None:
    uri = tracking_uri()
    if uri.startswith(SQLITE) and not Path(uri.removeprefix(SQLITE)).exists():
        shutil.copyfile(migrated_mlflow_db, uri.removeprefix(SQLITE))
