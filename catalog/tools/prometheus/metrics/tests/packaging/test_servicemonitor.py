"""The ServiceMonitor is one the Prometheus Operator accepts, and it scrapes this project's Service.

There is no cluster here: the manifest is validated with the operator's CRD models
(``cloudcoil.models.prometheus_operator``: types, enums and patterns of the CRD's
schema), and a round trip through them catches fields the CRD does not know.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from cloudcoil.models.prometheus_operator.v1 import ServiceMonitor
from pydantic import ValidationError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BASE = PROJECT_ROOT / "k8s" / "base"


def _load(name: str) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((BASE / name).read_text(encoding="utf-8"))
    return document


def _validated(document: dict[str, Any]) -> dict[str, Any]:
    model = ServiceMonitor.model_validate(document)
    known: dict[str, Any] = model.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return known


@pytest.fixture
def monitor() -> dict[str, Any]:
    return _load("servicemonitor.yaml")


def test_the_servicemonitor_matches_the_operators_crd(monitor: dict[str, Any]) -> None:
    assert _validated(monitor) == monitor, "a field the ServiceMonitor CRD does not know"


@pytest.mark.parametrize(
    ("break_it", "fails"),
    [
        (lambda endpoint: endpoint.update(interval="soon"), True),
        (lambda endpoint: endpoint.update(port=8000), True),
        (lambda endpoint: endpoint.update(pth="/metrics"), False),
    ],
    ids=["bad-duration", "port-not-a-name", "misspelt"],
)
def test_a_broken_servicemonitor_is_rejected(monitor: dict[str, Any], break_it: Any, fails: bool) -> None:
    """The checks above can fail: a wrong type or pattern is an error, an unknown field is lost in the round trip."""
    broken = copy.deepcopy(monitor)
    break_it(broken["spec"]["endpoints"][0])
    if fails:
        with pytest.raises(ValidationError):
            _validated(broken)
    else:
        assert _validated(broken) != broken


def test_it_scrapes_the_service_on_its_named_port(monitor: dict[str, Any]) -> None:
    service = _load("service.yaml")
    assert monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    port_names = {port["name"] for port in service["spec"]["ports"]}
    [endpoint] = monitor["spec"]["endpoints"]
    assert endpoint["port"] in port_names
    scrape = yaml.safe_load((PROJECT_ROOT / "monitoring" / "prometheus.yml").read_text(encoding="utf-8"))
    assert endpoint["path"] == scrape["scrape_configs"][0]["metrics_path"], "the path the local Prometheus scrapes"
