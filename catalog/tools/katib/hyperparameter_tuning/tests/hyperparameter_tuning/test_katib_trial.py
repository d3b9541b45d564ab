"""The trial command, run as Katib runs it, reports metrics Katib's StdOut collector finds; the local tuner searches.

What Katib does with a trial, reproduced here from kubeflow/katib at commit
33c8ff4e5d1814b59abd308e6819e839e9906bc2 (there is no cluster to run it on):
- it puts each parameter value in place of ``${trialParameters.<name>}`` in the
  trial template (pkg/controller.v1beta1/experiment/manifest/generator.go);
- it runs the primary container's command and args as one ``sh -c`` line with
  ``1>metrics-file 2>&1`` added (``wrapWorkerContainer``, pkg/webhook/v1beta1/pod/utils.go);
- it reads that file with its default filter ``DefaultFilter``
  (pkg/metricscollector/v1beta1/common/const.go), keeping matches named like
  the objective or an additional metric (pkg/metricscollector/v1beta1/file-metricscollector).
"""

from __future__ import annotations

import itertools
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from {{ cookiecutter.package_name }} import registry
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.tuning import Search, best_trial, trial_main, tune, tune_main

MANIFEST = Path(__file__).resolve().parents[2] / "katib" / "experiment.yaml"
# Copied verbatim from Katib's DefaultFilter (Go RE2 syntax, the same in Python's re here).
KATIB_DEFAULT_FILTER = re.compile(r"([\w|-]+)\s*=\s*([+-]?\d*(\.\d+)?([Ee][+-]?\d+)?)")
# consts.TrialTemplateParamReplaceFormatRegex, pkg/controller.v1beta1/consts/const.go, with a group for the name.
PLACEHOLDER = re.compile(r"\$\{trialParameters\.(.+?)\}")


def _spec() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))["spec"]
    return spec


def _katib_trial_command(values: dict[str, str]) -> str:
    """The shell line Katib would run for a trial with these parameter values (by Experiment parameter name)."""
    template = _spec()["trialTemplate"]
    reference = {parameter["name"]: parameter["reference"] for parameter in template["trialParameters"]}
    trial_spec = PLACEHOLDER.sub(lambda match: values[reference[match.group(1)]], yaml.safe_dump(template["trialSpec"]))
    pod = yaml.safe_load(trial_spec)["spec"]["template"]["spec"]
    (container,) = [c for c in pod["containers"] if c["name"] == template["primaryContainerName"]]
    return " ".join(container["command"] + container.get("args", []))


def _observed_metrics(log: str) -> dict[str, list[float]]:
    """Katib's text-format parsing: lines naming a metric, every filter match whose name is a metric."""
    objective = _spec()["objective"]
    names = [objective["objectiveMetricName"], *objective.get("additionalMetricNames", [])]
    observed: dict[str, list[float]] = {name: [] for name in names}
    for line in log.splitlines():
        if not any(name in line for name in names):
            continue
        for match in KATIB_DEFAULT_FILTER.finditer(line):
            if match.group(1).strip() in observed:
                observed[match.group(1).strip()].append(float(match.group(2)))
    return observed


def _run_like_katib(values: dict[str, str], workdir: Path) -> tuple[int, dict[str, list[float]]]:
    metrics_file = workdir / "metrics.log"
    line = f"{_katib_trial_command(values)} 1>{shlex.quote(str(metrics_file))} 2>&1"
    # The image has the project's commands on PATH; here they are beside this interpreter.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(["sh", "-c", line], cwd=workdir, env=env, timeout=300, check=False)
    return result.returncode, _observed_metrics(metrics_file.read_text(encoding="utf-8"))


def test_a_trial_reports_its_metrics_once_and_publishes_nothing_even_below_the_gate(
    workdir: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The gate guards publishing: a weak configuration is still an observation, so the trial succeeds.
    monkeypatch.setenv("MIN_ACCURACY", "1.01")  # no model passes
    returncode, observed = _run_like_katib({"regularization": "0.5", "max_iter": "200"}, workdir)
    assert returncode == 0, observed
    for name, values in observed.items():
        # Exactly one value: Katib would also read a stray `accuracy=` from a library's log line.
        assert len(values) == 1, f"{name}: {values}"
        assert 0.5 <= values[0] <= 1.0
    with pytest.raises(registry.ModelNotFoundError):
        registry.load_model(settings)


def test_a_broken_trial_fails_so_katib_counts_it(capsys: pytest.CaptureFixture[str]) -> None:
    # The error leaves the console script, which then exits non-zero: Katib marks the trial failed.
    with pytest.raises(ValueError, match="C"):
        trial_main(["--regularization=-1", "--max-iter=50"])  # scikit-learn refuses C <= 0
    assert _observed_metrics(capsys.readouterr().out)["accuracy"] == []


def test_the_search_draws_from_the_feasible_space_as_seeded() -> None:
    search = Search.from_experiment(MANIFEST)
    assert search.max_trials == _spec()["maxTrialCount"]
    assert search.seed is not None, "random_state makes the local search repeatable"
    drawn = list(itertools.islice(search.assignments(), 200))
    assert drawn == list(itertools.islice(search.assignments(), 200))
    for parameter in search.parameters:
        values = [assignment[parameter.name] for assignment in drawn]
        assert all(parameter.contains(value) for value in values), parameter
        assert len(set(values)) > 20, f"{parameter.name} is searched, not fixed"
    regularization = [float(assignment["regularization"]) for assignment in drawn]
    # Log-uniform over 0.001-100: every order of magnitude is tried, not mostly the top one.
    assert min(regularization) < 0.01
    assert sum(value < 1 for value in regularization) > 60
    assert all(isinstance(assignment["max_iter"], int) for assignment in drawn)


def test_the_local_tuner_runs_trials_and_keeps_the_best(settings: Settings) -> None:
    search = Search.from_experiment(MANIFEST)
    trials = tune(search, settings, max_trials=2)
    assert 1 <= len(trials) <= 2
    assert [trial.assignments for trial in trials] == list(itertools.islice(search.assignments(), len(trials)))
    best = best_trial(search, trials)
    assert best.metrics[search.objective] == max(trial.metrics[search.objective] for trial in trials)
    assert set(best.metrics) == {search.objective, *_spec()["objective"]["additionalMetricNames"]}
    with pytest.raises(registry.ModelNotFoundError):
        registry.load_model(settings)


def test_the_tune_command_prints_every_trial_and_the_best(capsys: pytest.CaptureFixture[str]) -> None:
    tune_main(["--experiment", str(MANIFEST), "--max-trials", "1"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("trial 1/1: regularization="), lines
    (best,) = [line for line in lines if line.startswith("best: ")]
    assert re.search(r"accuracy=[0-9.]+", best)
    assert "{{ cookiecutter.project_slug }}-train --regularization " in best
