"""How the slow tier runs: after the fast tier, named by stack, one line per step, and nothing left behind."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mlops_template.catalog import TEMPLATE_ROOT
from tests.helpers import CATALOG, defaults, stack_id
from tests.steps import Steps, run_in_own_group

# A command that starts a long-running child of its own, as make starts pytest and pytest airflow.
PARENT_OF_A_SLEEPER = ["sh", "-c", 'sleep 120 & echo $! > "$PID_FILE"; wait']


def _collected(*paths: str) -> list[str]:
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *paths]
    result = subprocess.run(command, cwd=TEMPLATE_ROOT, capture_output=True, text=True, check=True)
    return [line for line in result.stdout.splitlines() if "::" in line]


def test_the_fast_tier_is_collected_before_the_slow_tier() -> None:
    ids = _collected("tests/test_generated_projects.py", "tests/test_names.py")
    slow = [i for i, test in enumerate(ids) if test.startswith("tests/test_generated_projects.py")]
    fast = [i for i, test in enumerate(ids) if test.startswith("tests/test_names.py")]
    assert slow and fast
    assert max(fast) < min(slow)
    assert (
        "tests/test_generated_projects.py::test_generated_project_installs_with_uv_and_passes_its_own_checks[default]"
        in ids
    )


def test_a_stack_is_named_by_its_answers_that_differ_from_the_defaults() -> None:
    assert stack_id(defaults(CATALOG)) == "default"
    assert (
        stack_id(defaults(CATALOG, orchestration="kubeflow", serving="flask")) == "orchestration=kubeflow+serving=flask"
    )


def test_each_step_is_announced_with_the_stack_before_it_runs_and_timed_after(tmp_path: Path) -> None:
    lines: list[str] = []
    steps = Steps("orchestration=kubeflow", lines.append)
    with pytest.raises(AssertionError, match="exit 3"):
        steps.run(["sh", "-c", "echo exit 3 >&2; exit 3"], cwd=tmp_path, env=dict(os.environ))
    assert lines[0] == f"[orchestration=kubeflow] sh -c echo exit 3 >&2; exit 3  (in {tmp_path})"
    assert re.fullmatch(r"\[orchestration=kubeflow\] exit 3 after \d+ s", lines[1]), lines


def _wait_for_pid(pid_file: Path) -> int:
    while not pid_file.is_file() or not pid_file.read_text().strip():
        time.sleep(0.1)
    return int(pid_file.read_text())


def _is_running(pid: int) -> bool:
    """True while ``pid`` runs; a killed process whose parent died is gone or a zombie awaiting its reaper."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in {"Z", "X"}


def _stops(pid: int) -> bool:
    """Whether ``pid`` stops within a minute: SIGKILL is delivered asynchronously."""
    deadline = time.monotonic() + 60
    while _is_running(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            return False
        time.sleep(0.1)
    return True


def test_a_step_that_times_out_is_stopped_with_everything_it_started(tmp_path: Path) -> None:
    env = {**os.environ, "PID_FILE": str(tmp_path / "sleeper.pid")}
    with pytest.raises(subprocess.TimeoutExpired):
        run_in_own_group(PARENT_OF_A_SLEEPER, cwd=tmp_path, env=env, timeout=2)
    assert _stops(_wait_for_pid(tmp_path / "sleeper.pid")), "the step's child outlived its timeout"


def test_an_interrupted_run_stops_the_steps_children(tmp_path: Path) -> None:
    """Ctrl-C in the template's pytest (a KeyboardInterrupt in it) stops the generated project's processes."""
    pid_file = tmp_path / "sleeper.pid"
    # A terminal's Ctrl-C reaches a process that handles SIGINT; xdist's workers ignore it, and children inherit that.
    runner = (
        "import os, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler);"
        "from pathlib import Path; from tests.steps import run_in_own_group;"
        f"run_in_own_group({PARENT_OF_A_SLEEPER!r}, Path('.'), dict(os.environ), None)"
    )
    env = {**os.environ, "PID_FILE": str(pid_file), "PYTHONPATH": str(TEMPLATE_ROOT)}
    with subprocess.Popen([sys.executable, "-c", runner], cwd=tmp_path, env=env, stderr=subprocess.PIPE) as template:
        sleeper = _wait_for_pid(pid_file)
        template.send_signal(signal.SIGINT)
        _, stderr = template.communicate(timeout=60)
    assert b"KeyboardInterrupt" in stderr
    assert _stops(sleeper), "the step's child outlived the interrupt"
