"""A real Prometheus on 127.0.0.1 scrapes the running service and answers for its metrics.

The scrape job is the one of ``monitoring/prometheus.yml`` (its metrics path and
rules), pointed at the service this test starts and scraped every second.
``prometheus`` comes from the ``prometheus`` Debian package.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from {{ cookiecutter.package_name }} import registry
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.pipeline import PipelineResult

MONITORING = Path(__file__).resolve().parents[2] / "monitoring"
SETOSA = {"sepal_length_cm": 5.1, "sepal_width_cm": 3.5, "petal_length_cm": 1.4, "petal_width_cm": 0.2}
QUERY_DEADLINE_S = 60


def _scrape_config(service_url: str) -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load((MONITORING / "prometheus.yml").read_text(encoding="utf-8"))
    config["global"] |= {"scrape_interval": "1s", "evaluation_interval": "1s"}
    config["rule_files"] = [str(MONITORING / name) for name in config["rule_files"]]
    [job] = config["scrape_configs"]
    job["static_configs"] = [{"targets": [urllib.parse.urlsplit(service_url).netloc]}]
    return config


def _query(prometheus_url: str, expression: str) -> list[dict[str, Any]]:
    url = f"{prometheus_url}/api/v1/query?{urllib.parse.urlencode({'query': expression})}"
    with urllib.request.urlopen(url, timeout=10) as response:
        body = json.load(response)
    assert body["status"] == "success", body
    result: list[dict[str, Any]] = body["data"]["result"]
    return result


def _predict(service_url: str) -> None:
    request = urllib.request.Request(
        f"{service_url}/predict",
        data=json.dumps({"instances": [SETOSA]}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200


@pytest.mark.integration
def test_prometheus_reads_the_request_count_of_the_running_service(
    start_server: Callable[..., str], trained: PipelineResult, settings: Settings, tmp_path: Path
) -> None:
    prometheus = shutil.which("prometheus")
    if prometheus is None:
        pytest.fail("prometheus is not installed: apt-get install prometheus")
    module = "{{ cookiecutter.package_name }}.service"
    service = start_server(lambda port: [sys.executable, "-m", module, "--host", "127.0.0.1", "--port", str(port)])
    for _ in range(3):
        _predict(service)
    config = tmp_path / "prometheus.yml"
    config.write_text(yaml.safe_dump(_scrape_config(service)), encoding="utf-8")
    server = start_server(
        lambda port: [
            prometheus,
            f"--config.file={config}",
            f"--storage.tsdb.path={tmp_path / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        ready="/-/ready",
    )
    requests = 'http_requests_total{route="/predict", status="200"}'
    deadline = time.monotonic() + QUERY_DEADLINE_S
    while not (samples := _query(server, requests)):
        assert time.monotonic() < deadline, f"Prometheus never scraped {requests} from {service}"
        time.sleep(0.5)
    [sample] = samples
    assert float(sample["value"][1]) == 3
    [loaded] = _query(server, "model_loaded")
    assert float(loaded["value"][1]) == 1
    [version] = _query(server, "model_version_info")
    assert version["metric"]["version"] == registry.model_uri(settings)
