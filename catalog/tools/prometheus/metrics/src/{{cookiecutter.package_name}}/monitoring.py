"""Service metrics for Prometheus: requests, latency, predictions and the served model.

The service calls these functions; ``GET /metrics`` answers ``exposition()``,
which Prometheus scrapes (``monitoring/prometheus.yml``). The metrics live in a
registry of their own, so a server that registers its own metrics in the
process-wide default registry never collides with them.
"""

from __future__ import annotations

from collections.abc import Sequence

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

REGISTRY = CollectorRegistry()

REQUESTS = Counter(
    "http_requests",
    "HTTP requests answered, by route and status code.",
    ["route", "status"],
    registry=REGISTRY,
)
# Buckets around what one scikit-learn prediction costs (milliseconds), up to a stalled request.
LATENCY = Histogram(
    "http_request_duration_seconds",
    "Time to answer an HTTP request, by route.",
    ["route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
    registry=REGISTRY,
)
PREDICTIONS = Counter(
    "predictions",
    "Predictions returned, by predicted class.",
    ["class_name"],
    registry=REGISTRY,
)
MODEL_LOADED = Gauge("model_loaded", "1 while a model is loaded and served, else 0.", registry=REGISTRY)
MODEL_VERSION = Gauge(
    "model_version_info",
    "The served model: always 1, with its version as a label.",
    ["version"],
    registry=REGISTRY,
)


def model_loaded(version: str | None) -> None:
    MODEL_LOADED.set(0 if version is None else 1)
    # One series only: the version served now, not every version served since start-up.
    MODEL_VERSION.clear()
    if version is not None:
        MODEL_VERSION.labels(version=version).set(1)


def observe_request(route: str, status: int, latency_s: float) -> None:
    REQUESTS.labels(route=route, status=str(status)).inc()
    LATENCY.labels(route=route).observe(latency_s)


def observe_predictions(class_names: Sequence[str]) -> None:
    for class_name in class_names:
        PREDICTIONS.labels(class_name=class_name).inc()


def exposition() -> tuple[bytes, str] | None:
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
