"""Hyper-parameter tuning: the trial Katib runs, and the same search run here.

``{{ cookiecutter.project_slug }}-trial --regularization X --max-iter N`` is one trial: the
pipeline's steps up to ``evaluate`` in a throw-away run folder, with nothing published,
ending with one ``name=value`` line per metric on stdout, where Katib's StdOut metrics
collector reads them. ``katib/experiment.yaml`` runs it as a Job per trial on a cluster.

``{{ cookiecutter.project_slug }}-tune`` reads that same manifest (the one place the search
space is written) and runs a seeded random search over it in this process, so the search
can be tried without a cluster.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import math
import random
import tempfile
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.model import ModelQualityError, TrainingParams
from {{ cookiecutter.package_name }}.pipeline import STEPS, RunFiles, run_step

logger = logging.getLogger(__name__)

# Everything but publishing: a trial is measured, not released.
TRIAL_STEPS = tuple(step for step in STEPS if step != "register")
DEFAULT_EXPERIMENT = Path("katib/experiment.yaml")

ParameterValue = float | int | str


def run_trial(params: TrainingParams, settings: Settings) -> dict[str, float]:
    """Ingest, split, train and evaluate in a temporary run folder; return the metrics."""
    settings.work_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="trial-", dir=settings.work_dir) as run_dir:
        files = RunFiles(Path(run_dir))
        try:
            for name in TRIAL_STEPS:
                run_step(name, files, settings, params)
        except ModelQualityError as below_gate:
            # The gate guards publishing, and a trial publishes nothing. A weak configuration
            # is an observation the search needs, not a failure: failing it would count
            # towards maxFailedTrialCount and stop the experiment.
            logger.info("trial below the quality gate, reported anyway: %s", below_gate)
        metrics: dict[str, float] = json.loads(files.metrics.read_text(encoding="utf-8"))
    return metrics


def training_params(assignments: Mapping[str, ParameterValue]) -> TrainingParams:
    """TrainingParams from parameter values, each converted to its field's type."""
    hints = typing.get_type_hints(TrainingParams)
    if unknown := sorted(set(assignments) - set(hints)):
        raise ValueError(f"{unknown} are not fields of TrainingParams ({', '.join(hints)})")
    return TrainingParams(**{name: hints[name](value) for name, value in assignments.items()})


def _params_parser(description: str) -> argparse.ArgumentParser:
    """One option per field of TrainingParams (``max_iter`` -> ``--max-iter``), typed and defaulted as the field."""
    parser = argparse.ArgumentParser(description=description)
    hints = typing.get_type_hints(TrainingParams)
    for field in dataclasses.fields(TrainingParams):
        parser.add_argument(f"--{field.name.replace('_', '-')}", type=hints[field.name], default=field.default)
    return parser


def trial_main(argv: list[str] | None = None) -> None:
    args = _params_parser("Run one tuning trial (no model is published) and print its metrics.").parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    params = training_params({field.name: getattr(args, field.name) for field in dataclasses.fields(TrainingParams)})
    metrics = run_trial(params, Settings.from_env())
    # Katib's StdOut collector parses `name=value` (its default filter); one metric a line.
    for name, value in metrics.items():
        print(f"{name}={value}", flush=True)


@dataclass(frozen=True)
class Parameter:
    """One entry of the Experiment's ``parameters``: a name and its feasible space."""

    name: str
    type: str
    feasible_space: dict[str, Any]

    def sample(self, rng: random.Random) -> ParameterValue:
        """A value drawn at random from the feasible space, as Katib's ``random`` algorithm draws them."""
        space = self.feasible_space
        if self.type in ("categorical", "discrete"):
            choice = rng.choice(space["list"])
            return str(choice) if self.type == "categorical" else float(choice)
        distribution = space.get("distribution", "uniform")
        low, high = float(space["min"]), float(space["max"])
        if distribution == "uniform":
            value = rng.uniform(low, high)
        elif distribution == "logUniform":
            value = math.exp(rng.uniform(math.log(low), math.log(high)))
        else:
            raise ValueError(f"{self.name}: the local tuner samples uniform and logUniform, not {distribution}")
        if self.type == "int":
            step = int(space.get("step", 1))
            return min(int(high), max(int(low), int(low) + round((value - low) / step) * step))
        if self.type == "double":
            return value
        raise ValueError(f"{self.name}: unknown parameterType {self.type!r}")

    def contains(self, value: ParameterValue) -> bool:
        space = self.feasible_space
        if "list" in space:
            return str(value) in {str(item) for item in space["list"]}
        return float(space["min"]) <= float(value) <= float(space["max"])


@dataclass(frozen=True)
class Search:
    """What ``{{ cookiecutter.project_slug }}-tune`` takes from the Katib Experiment."""

    objective: str
    maximize: bool
    goal: float | None
    max_trials: int
    seed: int | None
    parameters: tuple[Parameter, ...]

    @classmethod
    def from_experiment(cls, path: Path) -> Search:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))["spec"]
        objective = spec["objective"]
        algorithm = spec.get("algorithm", {})
        settings = {item["name"]: item["value"] for item in algorithm.get("algorithmSettings", [])}
        if algorithm.get("algorithmName", "random") != "random":
            logger.warning("the Experiment uses %s; the local tuner runs random search", algorithm["algorithmName"])
        return cls(
            objective=objective["objectiveMetricName"],
            maximize=objective["type"] == "maximize",
            goal=objective.get("goal"),
            max_trials=int(spec["maxTrialCount"]),
            seed=int(settings["random_state"]) if "random_state" in settings else None,
            parameters=tuple(
                Parameter(name=item["name"], type=item["parameterType"], feasible_space=item["feasibleSpace"])
                for item in spec["parameters"]
            ),
        )

    def assignments(self) -> Iterator[dict[str, ParameterValue]]:
        """Values for trial after trial, drawn from the feasible spaces; the same ones for the same random_state."""
        rng = random.Random(self.seed)
        while True:
            yield {parameter.name: parameter.sample(rng) for parameter in self.parameters}

    def better(self, score: float, than: float) -> bool:
        return score > than if self.maximize else score < than

    def reached_goal(self, score: float) -> bool:
        return self.goal is not None and not self.better(self.goal, score)


@dataclass(frozen=True)
class Trial:
    assignments: dict[str, ParameterValue]
    metrics: dict[str, float]


def tune(search: Search, settings: Settings, max_trials: int | None = None) -> list[Trial]:
    """Run up to ``max_trials`` (default: the Experiment's maxTrialCount) trials; stop once the goal is reached."""
    trials: list[Trial] = []
    budget = max_trials if max_trials is not None else search.max_trials
    for number, assignments in zip(range(1, budget + 1), search.assignments(), strict=False):
        metrics = run_trial(training_params(assignments), settings)
        trials.append(Trial(assignments, metrics))
        print(f"trial {number}/{budget}: {_show({**assignments, **metrics})}", flush=True)
        if search.reached_goal(metrics[search.objective]):
            print(f"goal {search.objective}={search.goal} reached", flush=True)
            break
    return trials


def _show(values: Mapping[str, ParameterValue]) -> str:
    shown = (f"{name}={value:.4g}" if isinstance(value, float) else f"{name}={value}" for name, value in values.items())
    return " ".join(shown)


def best_trial(search: Search, trials: list[Trial]) -> Trial:
    best = trials[0]
    for trial in trials[1:]:
        if search.better(trial.metrics[search.objective], best.metrics[search.objective]):
            best = trial
    return best


def tune_main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the Katib Experiment's search space here, trial by trial.")
    parser.add_argument("--experiment", type=Path, default=DEFAULT_EXPERIMENT, help="the Katib Experiment manifest")
    parser.add_argument("--max-trials", type=int, help="trial budget (default: the Experiment's maxTrialCount)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    search = Search.from_experiment(args.experiment)
    best = best_trial(search, tune(search, Settings.from_env(), args.max_trials))
    options = " ".join(f"--{name.replace('_', '-')} {value}" for name, value in best.assignments.items())
    print(f"best: {_show(best.metrics)}; publish it with: {{ cookiecutter.project_slug }}-train {options}")
