"""The slow tier's commands: each announced on the terminal as it starts, and stopped together with its children.

A generated project's ``make test-all`` starts pytest, which starts servers and
``airflow dags test``. Each command runs in its own process group, and that
whole group is killed when the command times out or the template's test run
is interrupted (Ctrl-C), so nothing keeps running after the tests stop.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

GRACE_S = 10
"""How long a stopped group gets to exit on SIGTERM (pytest tears its servers down) before SIGKILL."""


def run_in_own_group(
    command: list[str], cwd: Path, env: dict[str, str], timeout: float | None
) -> subprocess.CompletedProcess[str]:
    """``subprocess.run`` with captured text output, but a timeout or an interrupt stops every descendant."""
    with subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except BaseException:  # TimeoutExpired or KeyboardInterrupt: nothing of the command may outlive it
            _kill_group(process)
            raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _kill_group(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=GRACE_S)
    # The leader may be gone while children it started still run in its group.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


class Steps:
    """Runs one test's commands, printing a line per command as it starts (past pytest's output capture)."""

    def __init__(self, name: str, write_line: Callable[[str], None]) -> None:
        self.name = name
        self._write_line = write_line

    def run(self, command: list[str], cwd: Path, env: dict[str, str], timeout: int = 1500) -> str:
        self._write_line(f"[{self.name}] {' '.join(command)}  (in {cwd})")
        started = time.monotonic()
        result = run_in_own_group(command, cwd, env, timeout)
        # Where the slow tier's time goes, per stack and command, for the CI log.
        self._write_line(f"[{self.name}] exit {result.returncode} after {time.monotonic() - started:.0f} s")
        assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        return result.stdout
