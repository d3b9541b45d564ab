"""The DVC pipeline as DVC reads and runs it, in a throwaway git repository holding
the project's ``dvc.yaml``, ``params.yaml`` and the sources the stages depend on
(``dvc_repo`` in ``conftest.py``).

The repository is the test's working directory, so the stages and this process
resolve the registry's relative default locations to the same place.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from dvc.repo import Repo

from {{ cookiecutter.package_name }} import registry
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.data import load_dataset
from {{ cookiecutter.package_name }}.model import predict
from {{ cookiecutter.package_name }}.pipeline import STEPS

STEP_COMMAND = "{{ cookiecutter.project_slug }}-step"


def _dvc(repo: Path, *args: str) -> str:
    command = [sys.executable, "-m", "dvc", *args]
    # dvc_repo (conftest.py) set DVC's environment.
    result = subprocess.run(command, cwd=repo, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"dvc {' '.join(args)}:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    return result.stdout


def _ran(output: str) -> list[str]:
    return re.findall(r"^Running stage '(\w+)'", output, re.MULTILINE)


def test_stages_run_the_steps_in_order_on_the_run_files(dvc_repo: Path) -> None:
    with Repo(str(dvc_repo)) as repo:
        stages = {stage.addressing: stage for stage in repo.index.stages}
        graph = repo.index.graph
        upstream = {stage.addressing: {dep.addressing for dep in graph.successors(stage)} for stage in graph}
    assert upstream == {
        "ingest": set(),
        "split": {"ingest"},
        "train": {"split"},
        "evaluate": {"split", "train"},
        "register": {"split", "train", "evaluate"},
    }
    for name, stage in stages.items():
        assert re.findall(rf"\b{STEP_COMMAND} (\w+) --run-dir run\b", stage.cmd) == [name]
    assert "TEST_SIZE=0.2 RANDOM_SEED=42 " in stages["split"].cmd
    assert "--regularization 1.0 --max-iter 500" in stages["train"].cmd
    assert "MIN_ACCURACY=0.8 " in stages["evaluate"].cmd
    metrics = [(str(out), out.use_cache) for stage in stages.values() for out in stage.outs if out.metric]
    assert metrics == [("run/metrics.json", False)]
    assert stages["register"].outs == [], "DVC deletes outputs before a rerun: the registry must not be one"


@pytest.mark.integration
def test_repro_publishes_once_and_reruns_only_what_a_change_reaches(dvc_repo: Path, settings: Settings) -> None:
    assert _ran(_dvc(dvc_repo, "repro")) == list(STEPS)
    model = registry.load_model(settings)
    predicted = [name for _, name in predict(model, load_dataset().iloc[[0, 50, 100]])]
    assert predicted == ["setosa", "versicolor", "virginica"]

    again = _dvc(dvc_repo, "repro")
    assert _ran(again) == []
    assert "Data and pipelines are up to date." in again
    assert json.loads(_dvc(dvc_repo, "status", "--json")) == {}

    shown = json.loads(_dvc(dvc_repo, "metrics", "show", "--json"))
    scores = shown[""]["data"]["run/metrics.json"]["data"]
    assert scores["accuracy"] >= settings.min_accuracy
    assert registry.alias_metrics("champion", settings) == pytest.approx(scores)

    params = dvc_repo / "params.yaml"
    original = params.read_text(encoding="utf-8")
    params.write_text(original.replace("min_accuracy: 0.8", "min_accuracy: 0.7"), encoding="utf-8")
    assert _ran(_dvc(dvc_repo, "repro")) == ["evaluate"], "a new threshold re-scores the model but publishes nothing"

    params.write_text(original.replace("regularization: 1.0", "regularization: 0.5"), encoding="utf-8")
    assert _ran(_dvc(dvc_repo, "repro")) == ["train", "evaluate", "register"]
