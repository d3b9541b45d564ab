"""Monitoring with no metrics backend: the service observes nothing and ``GET /metrics`` answers 404.

Choose a metrics tool (``mlops-template update --set metrics=<tool>``) to count
requests and predictions and expose them for scraping.
"""

from __future__ import annotations

from collections.abc import Sequence


def model_loaded(version: str | None) -> None:
    del version


def observe_request(route: str, status: int, latency_s: float) -> None:
    del route, status, latency_s


def observe_predictions(class_names: Sequence[str]) -> None:
    del class_names


def exposition() -> tuple[bytes, str] | None:
    return None
