"""Benchmark: generation time against cookiecutter's own start-up.

Target (issue #6): a default bake (`cookiecutter --no-input <checkout>`) takes
at most 2x `cookiecutter --version`, the cost of starting cookiecutter at all;
the difference is the template's own work (prompts, hooks, catalog, assembly).
Runs the real CLI in subprocesses, REPEAT times each; prints medians, the ratio
and the peak memory of one generation, and exits 1 when the ratio misses.

    python benchmarks/bake.py        # or: make benchmark
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
TARGET_RATIO = 2.0
REPEAT = 7
COOKIECUTTER = [sys.executable, "-m", "cookiecutter"]


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def bake_once(settings: list[str]) -> float:
    with tempfile.TemporaryDirectory() as output:
        config = Path(output) / "config.yaml"
        config.write_text(f"replay_dir: {Path(output) / 'replay'}\n")
        env = {**os.environ, "COOKIECUTTER_CONFIG": str(config)}
        return timed([*COOKIECUTTER, "--no-input", str(ROOT), "-o", f"{output}/out", *settings], env)


def main() -> int:
    startup = statistics.median(timed([*COOKIECUTTER, "--version"], dict(os.environ)) for _ in range(REPEAT))
    bake = statistics.median(bake_once([]) for _ in range(REPEAT))
    ratio = bake / startup
    print(f"cookiecutter --version   median {startup:.3f} s")
    print(f"default bake             median {bake:.3f} s  ({ratio:.1f}x start-up, target <= {TARGET_RATIO}x)")
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory of one generation: {peak_mib:.0f} MiB")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
