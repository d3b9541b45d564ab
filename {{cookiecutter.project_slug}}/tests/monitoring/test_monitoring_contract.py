"""The monitoring interface: observations never fail the service, and metrics are text when exposed."""

from __future__ import annotations

from {{ cookiecutter.package_name }} import monitoring


def test_observations_are_accepted_and_exposed_as_text_or_not_at_all() -> None:
    monitoring.model_loaded("3")
    monitoring.observe_request("/predict", 200, 0.004)
    monitoring.observe_request("/predict", 422, 0.001)
    monitoring.observe_predictions(["setosa", "virginica"])
    exposed = monitoring.exposition()
    if exposed is not None:
        body, content_type = exposed
        assert body
        assert content_type.startswith("text/")


def test_a_service_without_a_model_can_say_so() -> None:
    monitoring.model_loaded(None)
    monitoring.exposition()
