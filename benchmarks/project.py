"""Benchmark: the generated default project's speed, each figure beside its reference.

- `make train` against a script doing the same data, split, fit, metrics and
  joblib dump without MLflow, run alternately in the same environment (target:
  at most 1.5x the script);
- `make test` (the project's fast tests): at most 60 s;
- `import <package>` loads no ML library (a CLI or a DAG parser pays for none);
- `/predict` p99 with 32 concurrent clients on 2 cores, measured with wrk
  (Debian package `wrk`): at most 20 ms.

Generates the default project into a temporary folder, installs it with uv,
runs everything with bytecode caching on as users have it (these shells set
PYTHONDONTWRITEBYTECODE), prints each figure next to its reference and target,
and exits 1 when one misses.

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
TRAIN_RATIO_TARGET, TEST_TARGET_S, P99_TARGET_MS = 1.5, 60.0, 20.0
REPEAT = 3
ML_LIBRARIES = ("mlflow", "sklearn", "pandas", "numpy", "scipy", "joblib", "skops")
# What `make train` does, minus tracking and the registry: the reference it is measured against.
REFERENCE_SCRIPT = """
import joblib
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

frame = load_iris(as_frame=True).frame
frame.to_csv("dataset.csv", index=False)
train, test = train_test_split(frame, test_size=0.2, random_state=42, stratify=frame["target"])
features = [column for column in frame.columns if column != "target"]
model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=500))
model.fit(train[features], train["target"])
predicted = model.predict(test[features])
print(accuracy_score(test["target"], predicted), f1_score(test["target"], predicted, average="macro"))
joblib.dump(model, "model.joblib")
"""
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
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"UV_PROJECT_ENVIRONMENT": str(venv), "VIRTUAL_ENV": str(venv)}
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


def train_against_reference(project: Path, env: dict[str, str]) -> tuple[float, float]:
    """Medians of `make train` and of the reference script, alternated after one warm-up each."""
    script = project / "reference_train.py"
    script.write_text(REFERENCE_SCRIPT)
    reference = [str(Path(env["VIRTUAL_ENV"]) / "bin" / "python"), str(script)]
    run(["make", "train"], project, env)
    run(reference, project, env)
    trains, references = [], []
    for _ in range(REPEAT):
        trains.append(run(["make", "train"], project, env))
        references.append(run(reference, project, env))
    return statistics.median(trains), statistics.median(references)


def ml_libraries_imported(project: Path, env: dict[str, str]) -> list[str]:
    python = str(Path(env["VIRTUAL_ENV"]) / "bin" / "python")
    probe = "import sys, iris_classifier; print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    loaded = subprocess.run([python, "-c", probe], cwd=project, env=env, check=True, capture_output=True, text=True)
    return sorted(set(loaded.stdout.split()) & set(ML_LIBRARIES))


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        project, env = install(Path(tmp))
        train, reference = train_against_reference(project, env)
        tests = run(["make", "test"], project, env)
        imported = ml_libraries_imported(project, env)
        p99 = predict_p99(project, env)
    ratio = train / reference
    print(f"make train (median of {REPEAT})       {train:8.2f} s")
    print(f"reference script (median of {REPEAT}) {reference:8.2f} s")
    print(f"ratio                            {ratio:8.2f} x   (target <= {TRAIN_RATIO_TARGET} x)")
    print(f"make test                        {tests:8.2f} s   (target <= {TEST_TARGET_S} s)")
    print(f"import iris_classifier loads     {', '.join(imported) or 'no ML library'}   (target: none)")
    print(f"/predict p99, {CONNECTIONS} clients        {p99:8.2f} ms  (target <= {P99_TARGET_MS} ms)")
    met = [ratio <= TRAIN_RATIO_TARGET, tests <= TEST_TARGET_S, not imported, p99 <= P99_TARGET_MS]
    return 0 if all(met) else 1


if __name__ == "__main__":
    raise SystemExit(main())
