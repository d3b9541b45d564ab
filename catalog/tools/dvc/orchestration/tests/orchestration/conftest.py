"""A throwaway git + DVC repository in the test's folder, holding what ``dvc repro`` needs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def dvc_repo(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The project's ``dvc.yaml``, ``params.yaml`` and sources, with DVC's own configuration kept inside it."""
    sandbox = workdir / ".dvc-test"
    # The stages call the project's console script, installed beside this interpreter.
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("DVC_NO_ANALYTICS", "1")
    # Keep the machine's DVC config and shared index out of the test.
    monkeypatch.setenv("DVC_GLOBAL_CONFIG_DIR", str(sandbox / "global"))
    monkeypatch.setenv("DVC_SYSTEM_CONFIG_DIR", str(sandbox / "system"))
    monkeypatch.setenv("DVC_SITE_CACHE_DIR", str(sandbox / "site-cache"))
    for name in ("dvc.yaml", "params.yaml"):
        shutil.copy2(PROJECT_ROOT / name, workdir / name)
    ignored = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(PROJECT_ROOT / "src", workdir / "src", ignore=ignored)
    (workdir / ".gitignore").write_text(".dvc-test/\n", encoding="utf-8")
    subprocess.run(["git", "init", "--quiet"], cwd=workdir, check=True)
    subprocess.run([sys.executable, "-m", "dvc", "init", "--quiet"], cwd=workdir, check=True, capture_output=True)
    return workdir


@pytest.fixture
def launch_runs_here(dvc_repo: Path) -> bool:
    """``dvc repro`` runs in the repository it is started in: the test's, here."""
    del dvc_repo  # requested for its repository only
    return True
