"""Benchmark: how long and how much memory `cookiecutter --no-input <checkout>` takes.

Target (issue #2): a project is generated in under 2 s. Runs the real CLI in a
subprocess, as a user would, REPEAT times per stack; prints the median and the
worst, plus peak resident memory, and exits 1 when a median misses the target.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 2.0
REPEAT = 5
STACKS = {
    "default (airflow, mlflow)": [],
    "kubeflow, no tracking": ["orchestration=kubeflow", "experiment_tracking=none", "model_registry=none"],
}


def bake_once(settings: list[str]) -> float:
    with tempfile.TemporaryDirectory() as output:
        command = [sys.executable, "-m", "cookiecutter", "--no-input", str(ROOT), "-o", f"{output}/out", *settings]
        config = Path(output) / "config.yaml"
        config.write_text(f"replay_dir: {Path(output) / 'replay'}\n")
        env = {**os.environ, "COOKIECUTTER_CONFIG": str(config)}
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        return time.perf_counter() - started


def main() -> int:
    failed = False
    for name, settings in STACKS.items():
        timings = [bake_once(settings) for _ in range(REPEAT)]
        median = statistics.median(timings)
        failed |= median >= TARGET_SECONDS
        print(f"{name:28s} median {median:.2f} s  worst {max(timings):.2f} s  (target < {TARGET_SECONDS} s)")
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory of one generation: {peak_mib:.0f} MiB")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
