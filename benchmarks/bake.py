"""Benchmark: generation time against cookiecutter's own start-up and a plain template.

Targets: a default bake (`cookiecutter --no-input <checkout>`) takes at most 2x
`cookiecutter --version` (the cost of starting cookiecutter at all) and at most
1.3x a plain cookiecutter template that writes the same files with no hooks
(built here from the default bake's output, every file rendered through Jinja);
the differences are the template's own work (hooks, catalog, assembly).
Runs the real CLI in subprocesses, REPEAT times each after one warm-up, with
bytecode caching on as users have it (these shells set PYTHONDONTWRITEBYTECODE);
prints medians, the ratios and the peak memory of one generation, and exits 1
when a ratio misses.

    python benchmarks/bake.py        # or: make benchmark
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STARTUP_TARGET = 2.0
PLAIN_TARGET = 1.3
REPEAT = 7
COOKIECUTTER = [sys.executable, "-m", "cookiecutter"]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def bake_once(template: Path) -> float:
    with tempfile.TemporaryDirectory() as output:
        config = Path(output) / "config.yaml"
        config.write_text(f"replay_dir: {Path(output) / 'replay'}\n")
        env = {**ENV, "COOKIECUTTER_CONFIG": str(config)}
        return timed([*COOKIECUTTER, "--no-input", str(template), "-o", f"{output}/out"], env)


def plain_template(folder: Path) -> Path:
    """A hook-less template writing the default project's files, each rendered through Jinja."""
    subprocess.run([*COOKIECUTTER, "--no-input", str(ROOT), "-o", str(folder / "bake")], check=True, env=ENV)
    [project] = (folder / "bake").iterdir()
    template = folder / "plain"
    (template / "{{cookiecutter.project_slug}}").mkdir(parents=True)
    (template / "cookiecutter.json").write_text(json.dumps({"project_slug": project.name}))
    for path in project.rglob("*"):
        if path.is_file():
            target = template / "{{cookiecutter.project_slug}}" / path.relative_to(project)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("{% raw %}" + path.read_text(encoding="utf-8") + "{% endraw %}", encoding="utf-8")
    return template


def median(measure: Callable[[], float]) -> float:
    measure()  # warm-up: bytecode written, files cached
    return statistics.median(measure() for _ in range(REPEAT))


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        plain = plain_template(Path(scratch))
        startup = median(lambda: timed([*COOKIECUTTER, "--version"], ENV))
        reference = median(lambda: bake_once(plain))
        bake = median(lambda: bake_once(ROOT))
    print(f"cookiecutter --version          median {startup:.3f} s")
    print(f"plain template, same files      median {reference:.3f} s")
    print(f"default bake                    median {bake:.3f} s")
    print(f"  = {bake / startup:.2f}x start-up (target <= {STARTUP_TARGET}x)")
    print(f"  = {bake / reference:.2f}x the plain template (target <= {PLAIN_TARGET}x)")
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory of one generation: {peak_mib:.0f} MiB")
    return 0 if bake / startup <= STARTUP_TARGET and bake / reference <= PLAIN_TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
