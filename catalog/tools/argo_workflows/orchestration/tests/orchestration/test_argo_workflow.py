"""The Argo Workflow as Argo would take it, and its steps run here, in the order and with the settings it gives them.

There is no Kubernetes cluster or Argo server in these tests. The YAML is checked
against Argo's own JSON schema (``argo-workflow.schema.json``, vendored from
argoproj/argo-workflows, see its ``$comment``), and the integration tests play
the part of the Argo controller: they take the DAG's tasks in dependency order,
fill in the workflow's parameters and name, and run each container's command
and arguments in a subprocess, with the container's environment and its volume
mapped to the test's folder, instead of a pod in the image.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml
from hera.workflows import Workflow
from jsonschema import Draft202012Validator, ValidationError, validators

from {{ cookiecutter.package_name }} import argo_workflow, registry
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.model import TrainingParams
from {{ cookiecutter.package_name }}.pipeline import RunFiles, run_step

STEPS = ["ingest", "split", "train", "evaluate", "register"]
SCHEMA = json.loads((Path(__file__).with_name("argo-workflow.schema.json")).read_text(encoding="utf-8"))
ARGO_VARIABLE = re.compile(r"\{\{\s*([\w.-]+)\s*\}\}")
RUN_NAME = "{{ cookiecutter.project_slug }}-training-local"


class Step(NamedTuple):
    command: list[str]
    cwd: Path
    env: dict[str, str]


def _refuse_unknown_fields(
    validator: Any, properties: dict[str, Any], instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """``properties``, plus what Argo's strict decoding adds: a field the object does not define is an error."""
    yield from Draft202012Validator.VALIDATORS["properties"](validator, properties, instance, schema)
    if validator.is_type(instance, "object"):
        for name in sorted(set(instance) - set(properties)):
            yield ValidationError(f"unknown field {name!r}")


# Argo's schema leaves objects open; `argo lint` and `argo submit` decode strictly and refuse unknown fields.
ArgoValidator = validators.extend(Draft202012Validator, {"properties": _refuse_unknown_fields})


def _errors(document: dict[str, Any]) -> list[str]:
    errors = ArgoValidator(SCHEMA).iter_errors(document)
    return [f"{'.'.join(map(str, error.absolute_path))}: {error.message}" for error in errors]


def _write(path: Path, *args: str) -> dict[str, Any]:
    """Run the ``{{ cookiecutter.project_slug }}-argo-workflow`` script and read the YAML it wrote."""
    argo_workflow.main(["--output", str(path), *args])
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return document


def _templates(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {template["name"]: template for template in document["spec"]["templates"]}


def _tasks_in_order(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The entrypoint DAG's tasks, each after those its ``depends`` (or ``dependencies``) names."""
    dag = _templates(document)[document["spec"]["entrypoint"]]["dag"]
    tasks = {task["name"]: task for task in dag["tasks"]}
    graph = {
        # `depends` is an expression such as "a && b.Succeeded": its operands name the tasks.
        name: set(task.get("dependencies", []))
        | {word.split(".")[0] for word in re.findall(r"[\w.-]+", task.get("depends", ""))}
        for name, task in tasks.items()
    }
    return [tasks[name] for name in TopologicalSorter(graph).static_order()]


def test_workflow_matches_argos_schema(tmp_path: Path) -> None:
    document = _write(tmp_path / "workflow.yaml")
    assert _errors(document) == []
    assert document["kind"] == "Workflow"
    assert document["metadata"]["generateName"] == "{{ cookiecutter.project_slug }}-training-"


def _break_a_type(document: dict[str, Any]) -> None:
    document["spec"]["templates"][0]["retryStrategy"]["limit"] = ["2"]


def _misspell_a_field(document: dict[str, Any]) -> None:
    container = document["spec"]["templates"][0]["container"]
    container["volumeMount"] = container.pop("volumeMounts")


def _drop_a_required_field(document: dict[str, Any]) -> None:
    del document["spec"]["templates"][0]["container"]["env"][0]["name"]


@pytest.mark.parametrize("damage", [_break_a_type, _misspell_a_field, _drop_a_required_field])
def test_the_schema_check_refuses_a_broken_workflow(tmp_path: Path, damage: Callable[[dict[str, Any]], None]) -> None:
    document = _write(tmp_path / "workflow.yaml")
    broken = copy.deepcopy(document)
    damage(broken)
    assert _errors(broken), f"{damage.__name__} went unnoticed"


def test_hera_reads_the_yaml_back_as_the_same_workflow(tmp_path: Path) -> None:
    path = tmp_path / "workflow.yaml"
    document = _write(path)
    workflow = Workflow.from_file(path)
    assert isinstance(workflow, Workflow)
    assert workflow.to_dict() == document


def test_one_container_per_step_in_the_image_in_order_on_one_volume(tmp_path: Path) -> None:
    document = _write(tmp_path / "workflow.yaml", "--regularization", "0.5", "--max-iter", "300")
    templates = _templates(document)
    tasks = _tasks_in_order(document)
    assert [task["name"] for task in tasks] == STEPS
    assert [task["template"] for task in tasks] == STEPS
    [claim] = document["spec"]["volumeClaimTemplates"]
    names = set(argo_workflow.settings())
    assert names, ".env.example lists the project's settings"
    for step in STEPS:
        container = templates[step]["container"]
        assert container["image"] == argo_workflow.IMAGE == "{{ cookiecutter.__image }}"
        assert container["command"] == [argo_workflow.STEP_COMMAND]
        assert container["args"][:3] == [step, "--run-dir", argo_workflow.RUN_DIR]
        assert "pip install" not in " ".join(container["command"] + container["args"]), "the image holds the package"
        assert container["volumeMounts"] == [{"name": claim["metadata"]["name"], "mountPath": argo_workflow.WORKSPACE}]
        assert {variable["name"] for variable in container["env"]} == names
        assert container["resources"]["limits"].keys() == {"cpu", "memory"}
    assert document["spec"]["securityContext"]["fsGroup"] == 10001, "the image's user can write the volume"
    parameters = {p["name"]: p["value"] for p in document["spec"]["arguments"]["parameters"]}
    assert parameters == {"regularization": "0.5", "max_iter": "300"}
    for step in ("train", "evaluate"):
        assert templates[step]["container"]["args"][3:] == argo_workflow.HYPER_PARAMETERS
    # Every variable the containers use is one Argo knows: the workflow's name or one of its parameters.
    args = [arg for step in STEPS for arg in templates[step]["container"]["args"]]
    used = {name for arg in args for name in ARGO_VARIABLE.findall(arg)}
    assert used == {"workflow.name"} | {f"workflow.parameters.{name}" for name in parameters}


def test_every_step_but_the_quality_gate_retries(tmp_path: Path) -> None:
    templates = _templates(_write(tmp_path / "workflow.yaml"))
    assert "retryStrategy" not in templates["evaluate"], "a model below the gate stays below it"
    for step in ("ingest", "split", "train", "register"):
        assert int(templates[step]["retryStrategy"]["limit"]) == 2


def test_settings_are_those_of_the_shell_writing_the_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIN_ACCURACY", "0.9")
    templates = _templates(_write(tmp_path / "workflow.yaml"))
    env = {variable["name"]: variable["value"] for variable in templates["evaluate"]["container"]["env"]}
    assert env["MIN_ACCURACY"] == "0.9"


def _commands_like_argo(document: dict[str, Any], volume: Path, **parameters: str) -> dict[str, Step]:
    """Each task's container, as this machine runs it, in dependency order.

    What the Argo controller and the pod would do is done by hand: parameters
    given at submission replace the defaults, the workflow's name is a fixed one,
    the volume's mount path is ``volume``, and the command runs with this
    interpreter's scripts instead of the image's.
    """
    arguments = {p["name"]: p["value"] for p in document["spec"]["arguments"]["parameters"]} | parameters
    variables = {"workflow.name": RUN_NAME} | {f"workflow.parameters.{k}": v for k, v in arguments.items()}

    def resolve(text: str) -> str:
        return ARGO_VARIABLE.sub(lambda match: variables[match[1]], text).replace(argo_workflow.WORKSPACE, str(volume))

    scripts = str(Path(sys.executable).parent)
    templates = _templates(document)
    steps = {}
    for task in _tasks_in_order(document):
        container = templates[task["template"]]["container"]
        env = {**os.environ, **{variable["name"]: variable["value"] for variable in container["env"]}}
        env["PATH"] = scripts + os.pathsep + env.get("PATH", "")
        command = [resolve(part) for part in container["command"] + container["args"]]
        steps[task["name"]] = Step(command, Path(resolve(container["workingDir"])), env)
    return steps


def _run(step: Step) -> subprocess.CompletedProcess[str]:
    return subprocess.run(step.command, cwd=step.cwd, env=step.env, capture_output=True, text=True, timeout=600)


@pytest.mark.integration
def test_the_workflows_commands_train_and_publish_a_model(tmp_path: Path, workdir: Path, settings: Settings) -> None:
    document = _write(tmp_path / "argo" / "workflow.yaml")
    steps = _commands_like_argo(document, workdir, max_iter="300")
    assert list(steps) == STEPS
    for name, step in steps.items():
        result = _run(step)
        assert result.returncode == 0, f"{name} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    run_dir = workdir / RUN_NAME
    assert {path.name for path in run_dir.iterdir()} >= {"dataset.csv", "model.joblib", "metrics.json"}
    assert json.loads((run_dir / "metrics.json").read_text())["accuracy"] >= settings.min_accuracy
    assert registry.model_uri(settings)
    assert registry.load_model(settings) is not None


@pytest.mark.integration
def test_a_model_below_the_gate_fails_evaluate_and_register_waits_for_it(
    tmp_path: Path, workdir: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIN_ACCURACY", "1.01")  # in the shell writing the YAML: it reaches the containers
    document = _write(tmp_path / "argo" / "workflow.yaml")
    monkeypatch.delenv("MIN_ACCURACY")
    # The steps before the gate, in this process: only the gate's container matters here.
    files = RunFiles(workdir / RUN_NAME)
    for name in STEPS[: STEPS.index("evaluate")]:
        run_step(name, files, settings, TrainingParams())
    result = _run(_commands_like_argo(document, workdir)["evaluate"])
    assert result.returncode != 0
    assert "not published: accuracy" in result.stderr
    # Argo starts a task once what it `depends` on has succeeded: register never starts.
    [register] = [task for task in _tasks_in_order(document) if task["name"] == "register"]
    assert register["depends"] == "evaluate"
    with pytest.raises(registry.ModelNotFoundError):
        registry.load_model(settings)
