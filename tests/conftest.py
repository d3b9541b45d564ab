"""Fixtures shared by the template's tests."""

from __future__ import annotations

import os

import pytest

from mlops_template.catalog import Catalog
from tests.helpers import CATALOG


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The fast tier first, then the slow one: quick failures in seconds, the long installs last."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is not None)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return CATALOG


@pytest.fixture(autouse=True, scope="session")
def _isolated_cookiecutter_config(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep cookiecutter's replay and clone folders out of the user's home, here and in subprocesses."""
    home = tmp_path_factory.mktemp("cookiecutter-home")
    config = home / "config.yaml"
    config.write_text(f"cookiecutters_dir: {home / 'cookiecutters'}\nreplay_dir: {home / 'replay'}\n")
    os.environ["COOKIECUTTER_CONFIG"] = str(config)
