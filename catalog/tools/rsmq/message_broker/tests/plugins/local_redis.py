"""Every test runs against a real Redis server on 127.0.0.1, emptied before each test.

One ``redis-server`` (this machine's: the Debian or Ubuntu package, Homebrew's, or
any on the PATH) serves the whole session on a free port, keeping nothing on disk;
``FLUSHALL`` before each test keeps the tests independent. ``REDIS_URL`` is set
after ``workdir`` has cleared the settings from ``.env.example``, and subprocesses
the tests start inherit it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

STARTUP_TIMEOUT_S = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    # The interpreter's scripts folder first, as for every command the tests run by name.
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    executable = shutil.which("redis-server", path=search)
    if executable is None:
        raise FileNotFoundError("redis-server is not installed: apt-get install redis-server (or brew install redis)")
    folder = Path(tempfile.mkdtemp(prefix="redis-"))
    port = _free_port()
    command = [executable, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
    log = folder / "redis.log"
    with log.open("wb") as output:
        server = subprocess.Popen([*command, "--dir", str(folder)], stdout=output, stderr=output)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            try:
                Redis.from_url(url).ping()
                break
            except RedisConnectionError:
                if server.poll() is not None or time.monotonic() > deadline:
                    tail = log.read_text(errors="replace")[-3000:]
                    raise RuntimeError(f"redis-server did not start:\n{tail}") from None
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def local_redis(redis_url: str, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the events at the emptied server; its URL."""
    del workdir  # requested only to run after it
    Redis.from_url(redis_url).flushall()
    monkeypatch.setenv("REDIS_URL", redis_url)
    return redis_url
