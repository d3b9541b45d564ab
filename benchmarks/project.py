"""Benchmark: the generated default project's speed targets (issue #7).

Targets: `make train` <= 10 s after install; the project's fast tests
(`make test`) <= 60 s; `/predict` p99 <= 20 ms with 32 concurrent clients on
2 cores, measured with wrk (Debian package `wrk`) against the served model.
Generates the default project into a temporary folder, installs it with uv,
and prints each figure next to its target; exits 1 when one misses.

    python benchmarks/project.py        # or: make benchmark-project
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRAIN_TARGET_S, TEST_TARGET_S, P99_TARGET_MS = 10.0, 60.0, 20.0
CONNECTIONS, THREADS, DURATION = 32, 2, "20s"
FLOWER = {"sepal_length_cm": 6.3, "sepal_width_cm": 2.5, "petal_length_cm": 4.9, "petal_width_cm": 1.5}


def run(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def install(workdir: Path) -> tuple[Path, dict[str, str]]:
    subprocess.run([sys.executable, "-m", "cookiecutter", "--no-input", str(ROOT), "-o", str(workdir)], check=True)
    project = workdir / "iris-classifier"
    venv = workdir / "venv"
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(venv), "VIRTUAL_ENV": str(venv)}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    subprocess.run([uv, "sync", "-q", "--all-extras", "--python", sys.executable], cwd=project, env=env, check=True)
    return project, env


def predict_p99(project: Path, env: dict[str, str]) -> float:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [str(Path(env["VIRTUAL_ENV"]) / "bin" / "python"), "-m", "iris_classifier.service", "--port", str(port)],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{url}/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        script = Path(project) / "post.lua"
        body = json.dumps({"instances": [FLOWER]})
        script.write_text(
            f'wrk.method = "POST"\nwrk.body = {json.dumps(body)}\nwrk.headers["Content-Type"] = "application/json"\n'
        )
        command = ["wrk", "--latency", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{DURATION}", "-s", str(script)]
        output = subprocess.run([*command, f"{url}/predict"], check=True, capture_output=True, text=True).stdout
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(output)
    value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)$", output, re.MULTILINE).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        project, env = install(Path(tmp))
        train = statistics.median(run(["make", "train"], project, env) for _ in range(3))
        tests = run(["make", "test"], project, env)
        p99 = predict_p99(project, env)
    results = [
        ("make train (median of 3)", train, TRAIN_TARGET_S, "s"),
        ("make test", tests, TEST_TARGET_S, "s"),
        (f"/predict p99, {CONNECTIONS} clients", p99, P99_TARGET_MS, "ms"),
    ]
    for name, value, target, unit in results:
        print(f"{name:32s} {value:8.2f} {unit}  (target <= {target} {unit})")
    return 0 if all(value <= target for _, value, target, _ in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
