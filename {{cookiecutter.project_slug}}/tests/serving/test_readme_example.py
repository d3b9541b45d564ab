"""The README's prediction example, run as written against ``make serve PORT=...``, as a user would."""

from __future__ import annotations

import json
import os
import re
import shlex
import sys
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from {{ cookiecutter.package_name }} import registry
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.pipeline import PipelineResult

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHELL_BLOCK = re.compile(r"```bash\n(.*?)```", re.DOTALL)


@dataclass
class CurlRequest:
    url: str = ""
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    data: bytes | None = None


def readme_curl() -> CurlRequest:
    """The README's one ``curl`` command, read with the shell's quoting rules."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    commands = [block.replace("\\\n", " ") for block in SHELL_BLOCK.findall(readme) if block.startswith("curl ")]
    assert len(commands) == 1, "the README shows one curl request to the service"
    request = CurlRequest()
    words = iter(shlex.split(commands[0])[1:])
    for word in words:
        if word == "-s":
            continue
        if word == "-X":
            request.method = next(words)
        elif word == "-H":
            name, _, value = next(words).partition(":")
            request.headers[name.strip()] = value.strip()
        elif word == "-d":
            request.data = next(words).encode()
        elif word.startswith("-"):
            pytest.fail(f"the README's curl uses {word}, which this test does not replay")
        else:
            request.url = word
    return request


def default_port() -> int:
    """The port ``make serve`` listens on without ``PORT=``, as ``.env.example`` documents it."""
    lines = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    [port] = [line.removeprefix("PORT=") for line in lines if line.startswith("PORT=")]
    return int(port)


def test_the_readme_example_targets_what_make_serve_listens_on() -> None:
    url = urlsplit(readme_curl().url)
    assert (url.hostname, url.port) == ("127.0.0.1", default_port())


@pytest.mark.integration
def test_the_readme_example_answers_from_make_serve_on_another_port(
    start_server: Callable[..., str], trained: PipelineResult, settings: Settings
) -> None:
    # The venv's scripts first, however this pytest was started; the working
    # directory stays the test's, where the pipeline published the model.
    env = {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    makefile = str(PROJECT_ROOT / "Makefile")
    base = start_server(lambda port: ["make", "--no-print-directory", "-f", makefile, "serve", f"PORT={port}"], env=env)
    example = readme_curl()
    url = urlsplit(example.url)._replace(netloc=urlsplit(base).netloc).geturl()
    request = urllib.request.Request(url, data=example.data, headers=example.headers, method=example.method)
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.load(response)
    # The service names the alias it serves, which now points at the version just published.
    assert body["model_uri"] == registry.model_uri(settings)
    assert [prediction["class_name"] for prediction in body["predictions"]] == ["setosa"]
