"""A registry that does not answer is not a registry without the model: the two errors stay apart."""

from __future__ import annotations

import socket

import pytest

from {{ cookiecutter.package_name }} import registry
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.data import FEATURES, load_dataset
from {{ cookiecutter.package_name }}.model import TrainingParams, train_model


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_tracking_server_is_reported_as_such(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    address = f"http://127.0.0.1:{_closed_port()}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", address)
    # MLflow retries a refused connection for minutes by default; once is enough to know.
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    with pytest.raises(registry.RegistryUnavailableError, match=address):
        registry.alias_metrics("champion", settings)
    with pytest.raises(registry.RegistryUnavailableError, match=address):
        registry.load_model(settings)


def test_a_model_without_the_alias_is_missing(settings: Settings) -> None:
    model = train_model(load_dataset(), TrainingParams())
    registry.publish(model, load_dataset()[list(FEATURES)].head(5), {"accuracy": 0.9}, settings)
    assert registry.alias_metrics("champion", settings) is None
    with pytest.raises(registry.ModelNotFoundError, match="champion"):
        registry.load_model(settings)
