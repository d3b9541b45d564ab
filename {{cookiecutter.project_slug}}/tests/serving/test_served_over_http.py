"""Train, publish, start the real server on 127.0.0.1 and predict over HTTP, as a user would."""

from __future__ import annotations

import json
import sys
import urllib.request
from collections.abc import Callable

import pytest

from {{ cookiecutter.package_name }} import registry
from {{ cookiecutter.package_name }}.config import Settings


@pytest.mark.integration
@pytest.mark.usefixtures("trained")
def test_served_model_predicts(start_server: Callable[..., str], settings: Settings) -> None:
    module = "{{ cookiecutter.package_name }}.service"
    url = start_server(lambda port: [sys.executable, "-m", module, "--host", "127.0.0.1", "--port", str(port)])
    flower = {"sepal_length_cm": 6.3, "sepal_width_cm": 2.5, "petal_length_cm": 4.9, "petal_width_cm": 1.5}
    request = urllib.request.Request(
        f"{url}/predict",
        data=json.dumps({"instances": [flower]}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = json.load(response)
    assert body["model_uri"] == registry.model_uri(settings)
    assert body["predictions"][0]["class_name"] in {"versicolor", "virginica"}
