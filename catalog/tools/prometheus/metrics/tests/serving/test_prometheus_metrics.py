"""``GET /metrics`` on the served app: requests, predictions per class and the served model."""

from __future__ import annotations

from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from {{ cookiecutter.package_name }} import registry
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.pipeline import PipelineResult

SETOSA = {"sepal_length_cm": 5.1, "sepal_width_cm": 3.5, "petal_length_cm": 1.4, "petal_width_cm": 0.2}
VIRGINICA = {"sepal_length_cm": 7.7, "sepal_width_cm": 3.0, "petal_length_cm": 6.1, "petal_width_cm": 2.3}


def _samples(client: Any) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of ``GET /metrics``, by name and labels, parsed as Prometheus' text format."""
    status, text = client.get("/metrics")
    assert status == 200
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _value(samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_requests_and_predictions_are_counted(client: Any) -> None:
    before = _samples(client)
    assert client.post("/predict", {"instances": [SETOSA, VIRGINICA, VIRGINICA]})[0] == 200
    assert client.post("/predict", {"instances": []})[0] in {400, 422}
    after = _samples(client)

    def grew(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert grew("http_requests_total", route="/predict", status="200") == 1
    assert sum(grew("http_requests_total", route="/predict", status=code) for code in ("400", "422")) == 1
    assert grew("http_request_duration_seconds_count", route="/predict") == 2
    assert grew("predictions_total", class_name="setosa") == 1
    assert grew("predictions_total", class_name="virginica") == 2


def test_unknown_paths_share_one_label(client: Any) -> None:
    client.get("/no-such-page-1")
    client.get("/no-such-page-2")
    names = {dict(labels).get("route") for name, labels in _samples(client) if name == "http_requests_total"}
    assert "unmatched" in names
    assert not {"/no-such-page-1", "/no-such-page-2"} & names


def test_the_served_model_is_named(client: Any, trained: PipelineResult, settings: Settings) -> None:
    samples = _samples(client)
    assert _value(samples, "model_loaded") == 1
    assert _value(samples, "model_version_info", version=registry.model_uri(settings)) == 1


def test_a_service_without_a_model_says_so(client_without_model: Any) -> None:
    samples = _samples(client_without_model)
    assert _value(samples, "model_loaded") == 0
    assert not [labels for name, labels in samples if name == "model_version_info"]
