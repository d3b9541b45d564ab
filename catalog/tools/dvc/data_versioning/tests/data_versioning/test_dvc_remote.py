"""Data versioning with DVC and a local-folder remote, as a teammate would use it.

A data set written by the ingest step is tracked with ``dvc add`` and pushed; once
the file and the local cache are gone, ``dvc pull`` brings back the same bytes
from the remote alone. ``make data-init`` sets that remote up and can run twice.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

{% if stack.channels.object_store -%}
import boto3
{% endif -%}
import pytest

from {{ cookiecutter.package_name }} import steps{% if stack.channels.object_store %}, storage{% endif %}
{%- if stack.channels.object_store %}
{%- set store = stack.channels.object_store %}
from {{ cookiecutter.package_name }}.steps import RAW_DATA
{%- endif %}

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_REMOTE = "{{ 'storage' if stack.channels.object_store else 'local' }}"


def _env(sandbox: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "DVC_NO_ANALYTICS": "1",
        # Keep the machine's DVC config and shared index out of the test.
        "DVC_GLOBAL_CONFIG_DIR": str(sandbox / "global"),
        "DVC_SYSTEM_CONFIG_DIR": str(sandbox / "system"),
        "DVC_SITE_CACHE_DIR": str(sandbox / "site-cache"),
    }


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture
def repo(workdir: Path) -> Path:
    """An empty git repository beside (not containing) the remote folder."""
    path = workdir / "project"
    path.mkdir()
    subprocess.run(["git", "init", "--quiet"], cwd=path, check=True)
    return path


@pytest.mark.integration
def test_pushed_data_set_is_pulled_back_byte_for_byte(repo: Path, workdir: Path) -> None:
    env = _env(workdir / "dvc-sandbox")
    remote = workdir / "remote"

    def dvc(*args: str) -> str:
        return _run([sys.executable, "-m", "dvc", *args], repo, env)

    dvc("init", "--quiet")
    dvc("remote", "add", "--default", "local", str(remote))
    dataset = repo / "data" / "dataset.csv"
    steps.ingest(dataset)
    original = dataset.read_bytes()
    digest = hashlib.md5(original, usedforsecurity=False).hexdigest()

    dvc("add", "data/dataset.csv")
    assert f"md5: {digest}" in (repo / "data" / "dataset.csv.dvc").read_text(encoding="utf-8")
    assert "/dataset.csv" in (repo / "data" / ".gitignore").read_text(encoding="utf-8").splitlines()
    dvc("push")
    assert (remote / "files" / "md5" / digest[:2] / digest[2:]).read_bytes() == original

    dataset.unlink()
    shutil.rmtree(repo / ".dvc" / "cache")
    dvc("pull")
    assert dataset.read_bytes() == original


@pytest.mark.integration
def test_make_data_init_sets_a_default_local_remote_and_can_run_again(repo: Path, workdir: Path) -> None:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    env = _env(workdir / "dvc-sandbox") | {"DVC_REMOTE": str(workdir / "shared")}
    for _ in range(2):
        _run([make, "--no-print-directory", "-f", str(PROJECT_ROOT / "Makefile"), "data-init"], repo, env)
    config = _run([sys.executable, "-m", "dvc", "config", "--list", "--project"], repo, env).splitlines()
    assert f"core.remote={DEFAULT_REMOTE}" in config
    assert f"remote.{DEFAULT_REMOTE}.url={workdir / 'shared'}" in config
{%- if stack.channels.object_store %}


@pytest.mark.integration
def test_make_data_init_pushes_to_the_object_store_and_pulls_back(repo: Path, workdir: Path) -> None:
    """The default remote is the project's bucket (here moto's S3 server): push, forget every local copy, pull."""
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    env = _env(workdir / "dvc-sandbox")
    endpoint = os.environ["{{ store.endpoint_env }}"]
    _run([make, "--no-print-directory", "-f", str(PROJECT_ROOT / "Makefile"), "data-init"], repo, env)
    config = _run([sys.executable, "-m", "dvc", "config", "--list", "--project"], repo, env).splitlines()
    assert "remote.storage.url={{ store.scheme }}://{{ store.bucket }}/{{ store.prefix }}/dvc" in config
    assert f"remote.storage.endpointurl={endpoint}" in config

    dataset = repo / "data" / "dataset.csv"
    steps.ingest(dataset)  # through the storage: the raw data lands in the same bucket
    assert storage.exists(RAW_DATA)
    original = dataset.read_bytes()
    digest = hashlib.md5(original, usedforsecurity=False).hexdigest()
    _run([sys.executable, "-m", "dvc", "add", "data/dataset.csv"], repo, env)
    _run([sys.executable, "-m", "dvc", "push"], repo, env)
    s3 = boto3.client("s3", endpoint_url=endpoint)
    key = "{{ store.prefix }}/dvc/files/md5/" + digest[:2] + "/" + digest[2:]
    assert s3.get_object(Bucket="{{ store.bucket }}", Key=key)["Body"].read() == original

    dataset.unlink()
    shutil.rmtree(repo / ".dvc" / "cache")
    _run([sys.executable, "-m", "dvc", "pull"], repo, env)
    assert dataset.read_bytes() == original
{%- endif %}
