"""A real RabbitMQ broker on 127.0.0.1: one for the whole test session, and the one ``make services-up`` runs.

The broker is this machine's ``rabbitmq-server`` (the Debian or Ubuntu package,
Homebrew's, or any on the PATH), run as the current user with everything of its
own: its node name, data and logs in one folder, and its own Erlang port mapper
(``epmd``) on a port of its own, so it neither needs nor disturbs a system broker.
The tests' broker takes free ports and a temporary folder; before each test its
URL is set, after ``workdir`` has cleared the settings from ``.env.example``, with
a queue prefix of the test's own, so every test starts from empty queues.

Run as a script (``make services-up`` does), it serves in the foreground on the
default ports (AMQP 5672, distribution 25672, epmd 4369: a running epmd is
reused) with its data in ``.services/rabbitmq/``, until it is stopped.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pika
import pytest
from pika.exceptions import AMQPConnectionError

# Debian's real start script: /usr/sbin/rabbitmq-server is a wrapper that switches
# to the rabbitmq user and sends the broker's output to /var/log.
DEBIAN_SERVER = Path("/usr/lib/rabbitmq/bin/rabbitmq-server")
STARTUP_TIMEOUT_S = 180
STOP_TIMEOUT_S = 60


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _listens(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def _executable(name: str, preferred: Path | None = None) -> str:
    if preferred is not None and preferred.is_file():
        return str(preferred)
    # The interpreter's scripts folder first, as for every command the tests run by name.
    found = shutil.which(name, path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    if found is None:
        raise FileNotFoundError(f"{name} is not installed: install RabbitMQ (apt-get install rabbitmq-server)")
    return found


def broker_env(folder: Path, port: int, dist_port: int, epmd_port: int) -> dict[str, str]:
    """The environment of a broker that keeps to ``folder`` and 127.0.0.1."""
    return {
        **os.environ,
        "HOME": str(folder),  # the Erlang cookie lands here
        "ERL_EPMD_PORT": str(epmd_port),
        "RABBITMQ_NODENAME": f"rabbit-{port}@localhost",
        "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
        "RABBITMQ_NODE_PORT": str(port),
        "RABBITMQ_DIST_PORT": str(dist_port),
        "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
        "RABBITMQ_MNESIA_BASE": str(folder / "mnesia"),
        "RABBITMQ_LOG_BASE": str(folder / "log"),
        "RABBITMQ_LOGS": "-",  # to standard output: the caller's log
        "RABBITMQ_ENABLED_PLUGINS_FILE": str(folder / "enabled_plugins"),
    }


class Broker:
    """``epmd`` (unless its port already answers) and ``rabbitmq-server``, started and stopped together."""

    def __init__(self, folder: Path, port: int, dist_port: int, epmd_port: int) -> None:
        self.folder, self.port, self.epmd_port = folder, port, epmd_port
        self.url = f"amqp://guest:guest@127.0.0.1:{port}/%2F"
        self.env = broker_env(folder, port, dist_port, epmd_port)
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, log: Path | None = None) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        output = None if log is None else log.open("ab")
        if not _listens(self.epmd_port):
            epmd = [_executable("epmd"), "-port", str(self.epmd_port), "-address", "127.0.0.1"]
            self.processes.append(subprocess.Popen(epmd, stdout=output, stderr=output))
        server = [_executable("rabbitmq-server", DEBIAN_SERVER)]
        self.processes.append(subprocess.Popen(server, env=self.env, stdout=output, stderr=output))

    def wait_until_ready(self, log: Path | None = None) -> None:
        """Until an AMQP connection opens: the port listens only once the broker booted."""
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if self.processes[-1].poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-3000:] if log is not None else ""
                raise RuntimeError(f"RabbitMQ did not start on 127.0.0.1:{self.port}:\n{tail}")
            if _listens(self.port):
                try:
                    pika.BlockingConnection(pika.URLParameters(self.url)).close()
                    return
                except AMQPConnectionError:
                    pass
            time.sleep(0.5)

    def stop(self) -> None:
        for process in reversed(self.processes):  # the broker before its port mapper
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()


@pytest.fixture(scope="session")
def rabbitmq_url() -> Iterator[str]:
    folder = Path(tempfile.mkdtemp(prefix="rabbitmq-"))
    port, dist_port, epmd_port = _free_ports(3)
    broker = Broker(folder, port, dist_port, epmd_port)
    log = folder / "broker.log"
    broker.start(log)
    try:
        broker.wait_until_ready(log)
        yield broker.url
    finally:
        broker.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def local_rabbitmq(rabbitmq_url: str, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the events at the tests' broker, on queues no other test uses; the queue prefix."""
    del workdir  # requested only to run after it
    prefix = f"test-{uuid.uuid4().hex[:12]}."
    monkeypatch.setenv("RABBITMQ_URL", rabbitmq_url)
    monkeypatch.setenv("RABBITMQ_QUEUE_PREFIX", prefix)
    return prefix


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a RabbitMQ broker on 127.0.0.1 in the foreground.")
    parser.add_argument("--port", type=int, default=5672, help="the AMQP port")
    parser.add_argument("--dist-port", type=int, default=25672, help="the Erlang distribution port (CLI tools)")
    parser.add_argument("--epmd-port", type=int, default=4369, help="the Erlang port mapper's port")
    parser.add_argument("--data", type=Path, default=Path(".services/rabbitmq"), help="the broker's data and logs")
    args = parser.parse_args(argv)
    broker = Broker(args.data.resolve(), args.port, args.dist_port, args.epmd_port)

    def stop(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    broker.start()
    try:
        sys.exit(broker.processes[-1].wait())
    finally:
        broker.stop()


if __name__ == "__main__":
    main()
