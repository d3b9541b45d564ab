"""Every test starts from the documented defaults, in its own empty folder.

The settings named in ``.env.example`` are cleared, so nothing from the shell
(an exported ``MIN_ACCURACY`` or tracking URI) leaks into a test, and the
working directory is a fresh temporary folder, so every relative default
(local stores, model files) lands there.
"""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.pipeline import PipelineResult, run_pipeline

PROJECT_ROOT = Path(__file__).resolve().parents[1]
STARTUP_TIMEOUT_S = 180
StartServer = Callable[..., str]


def _setting_names() -> list[str]:
    env_example = PROJECT_ROOT / ".env.example"
    if not env_example.is_file():
        return []
    lines = env_example.read_text(encoding="utf-8").splitlines()
    return [line.split("=", 1)[0] for line in lines if "=" in line and not line.startswith("#")]


@pytest.fixture(autouse=True)
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    saved = dict(os.environ)
    for name in _setting_names():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    # Some clients export what they were configured with (a tracking URI, say):
    # put the environment back so nothing reaches the next test.
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def settings(workdir: Path) -> Settings:
    return Settings.from_env()


@pytest.fixture
def trained(settings: Settings) -> PipelineResult:
    """One full local pipeline run."""
    return run_pipeline(settings)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:  # refused, reset or timed out while the server starts
        return False


@pytest.fixture
def start_server() -> Iterator[StartServer]:
    """Start real servers on 127.0.0.1 for one test, and stop them after it.

    ``start_server(command_for_port, ready="/health", cwd=None, env=None)`` picks
    a free port, runs ``command_for_port(port)``, waits until ``ready`` (a path
    that must answer 200, or a predicate on the base URL) holds, and returns
    the base URL.
    """
    processes: list[subprocess.Popen[bytes]] = []
    logs = Path(tempfile.mkdtemp(prefix="servers-"))

    def start(
        command_for_port: Callable[[int], list[str]],
        ready: str | Callable[[str], bool] = "/health",
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> str:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        log = logs / f"{port}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                command_for_port(port), cwd=cwd, env={**os.environ, **(env or {})}, stdout=output, stderr=output
            )
        processes.append(process)
        url = f"http://127.0.0.1:{port}"
        is_ready = ready if callable(ready) else lambda base: _answers(f"{base}{ready}")
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not is_ready(url):
            output = log.read_text(errors="replace")[-3000:]
            assert process.poll() is None, f"{command_for_port(port)[:4]} exited during start-up:\n{output}"
            if time.monotonic() > deadline:
                pytest.fail(f"{url} was not ready within {STARTUP_TIMEOUT_S} s:\n{output}")
            time.sleep(0.3)
        return url

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=30)
