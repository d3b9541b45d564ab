"""The TFJob in ``k8s/tfjob.yaml`` is one the Training Operator accepts, and it runs this project's training.

There is no cluster and no operator here. The manifest is checked against what
would judge it on a cluster: the TFJob CRD's schema (vendored beside this file,
as no package ships it; its ``$comment`` names the source), the operator's
admission webhook rules and the ``kubeflow-training`` SDK's models. Its container
command is then run locally with the environment the operator would give the pod.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import tomllib
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator, FormatChecker
from kubeflow.training import ApiClient, KubeflowOrgV1TFJob
from kubeflow.training.constants import constants

from {{ cookiecutter.package_name }} import pipeline, registry
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.model import TrainingParams

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MANIFEST = PROJECT_ROOT / "k8s" / "tfjob.yaml"
SCHEMA = Path(__file__).with_name("tfjob-v1.schema.json")

# From the operator's source (pkg/apis/kubeflow.org/v1/tensorflow_types.go, v1.9).
REPLICA_TYPES = {"Chief", "Master", "PS", "Worker", "Evaluator"}
DEFAULT_PORT = 2222
DNS_1035_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")

FORMATS = FormatChecker()


@FORMATS.checks("int32")
def _is_int32(value: object) -> bool:
    return not isinstance(value, int) or -(2**31) <= value < 2**31


@FORMATS.checks("int64")
def _is_int64(value: object) -> bool:
    return not isinstance(value, int) or -(2**63) <= value < 2**63


def _as_json_schema(node: Any) -> Any:
    """A Kubernetes structural schema, as the API server applies it, in JSON Schema (Draft 7) terms.

    The CRD uses only keywords that mean the same in OpenAPI v3 and Draft 7
    (type, properties, required, items, additionalProperties, anyOf, pattern,
    format), plus Kubernetes extensions that jsonschema ignores:

    - ``x-kubernetes-int-or-string`` fields (quantities, ports) carry
      ``anyOf: [integer, string]`` in the CRD; added here should one lack it;
    - ``nullable: true`` allows null;
    - an unknown field is pruned by the API server and rejected by ``kubectl``
      (strict field validation, its default): objects that list their
      properties and neither ``additionalProperties`` nor
      ``x-kubernetes-preserve-unknown-fields`` get ``additionalProperties: false``.

    ``x-kubernetes-list-type``/``-map-type`` (merge semantics) and the one CEL
    rule (``self == oldSelf``, checked only on update) do not apply to a new object.
    """
    if isinstance(node, list):
        return [_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    schema = {key: _as_json_schema(value) for key, value in node.items() if key != "properties"}
    if "properties" in node:  # property names are not keywords
        schema["properties"] = {name: _as_json_schema(sub) for name, sub in node["properties"].items()}
    if schema.get("x-kubernetes-int-or-string") and "anyOf" not in schema:
        schema["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if schema.get("nullable") and "type" in schema:
        schema["type"] = [schema["type"], "null"]
    open_object = "additionalProperties" in schema or schema.get("x-kubernetes-preserve-unknown-fields")
    if "properties" in schema and not open_object:
        schema["additionalProperties"] = False
    return schema


@pytest.fixture(scope="module")
def validator() -> Draft7Validator:
    schema = _as_json_schema(json.loads(SCHEMA.read_text(encoding="utf-8")))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=FORMATS)


@pytest.fixture
def job() -> dict[str, Any]:
    manifest: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return manifest


def _problems(validator: Draft7Validator, job: dict[str, Any]) -> list[str]:
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(job)]


def _container(job: dict[str, Any], replica_type: str = "Chief") -> dict[str, Any]:
    containers = job["spec"]["tfReplicaSpecs"][replica_type]["template"]["spec"]["containers"]
    return next(c for c in containers if c["name"] == constants.TFJOB_CONTAINER)


def _admission_problems(job: dict[str, Any]) -> list[str]:
    """The operator's validating webhook, restated (pkg/webhooks/tensorflow/tfjob_webhook.go, v1.9)."""
    problems = []
    name = job["metadata"].get("name", "")
    if len(name) > 63 or not DNS_1035_LABEL.match(name):
        problems.append(f"metadata.name {name!r} is not a DNS-1035 label")
    specs = job["spec"].get("tfReplicaSpecs") or {}
    if not specs:
        problems.append("spec.tfReplicaSpecs is required")
    for replica_type, spec in specs.items():
        containers = spec.get("template", {}).get("spec", {}).get("containers", [])
        if not containers:
            problems.append(f"{replica_type}: containers must be specified")
        if any(not container.get("image") for container in containers):
            problems.append(f"{replica_type}: every container needs an image")
        if all(container.get("name") != constants.TFJOB_CONTAINER for container in containers):
            problems.append(f"{replica_type}: needs a container named {constants.TFJOB_CONTAINER!r}")
    if len(set(specs) & {"Chief", "Master"}) > 1:
        problems.append("at most one Chief or Master role")
    # Not the webhook's: the operator only knows these types and ignores any other key.
    problems += [f"unknown replica type {t!r}" for t in set(specs) - REPLICA_TYPES]
    return problems


def _tf_config(job: dict[str, Any], replica_type: str, index: int, namespace: str = "default") -> str | None:
    """TF_CONFIG as the operator sets it (pkg/controller.v1/tensorflow: genTFConfigJSONStr, isDistributed)."""
    specs = job["spec"]["tfReplicaSpecs"]
    if sum(spec.get("replicas", 1) for spec in specs.values()) == 1:
        return None  # a one-replica job is a "local" job: the operator sets no TF_CONFIG
    name = job["metadata"]["name"]
    cluster = {
        rtype.lower(): [
            f"{name}-{rtype.lower()}-{i}.{namespace}.svc:{DEFAULT_PORT}" for i in range(spec.get("replicas", 1))
        ]
        for rtype, spec in specs.items()
    }
    task = {"type": replica_type.lower(), "index": index}
    return json.dumps({"cluster": cluster, "task": task, "environment": "cloud"})


def test_manifest_matches_the_tfjob_crd_schema(validator: Draft7Validator, job: dict[str, Any]) -> None:
    assert (job["apiVersion"], job["kind"]) == (constants.API_VERSION, constants.TFJOB_KIND)
    assert _problems(validator, job) == []


def _set(job: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    broken = copy.deepcopy(job)
    *parents, last = path.split(".")
    node = broken
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    node[last] = value
    return broken


CHIEF = "spec.tfReplicaSpecs.Chief"
LIMITS = f"{CHIEF}.template.spec.containers.0.resources.limits"


@pytest.mark.parametrize(
    ("path", "value", "error"),
    [
        (f"{CHIEF}.replicas", "one", "'one' is not of type 'integer'"),
        (f"{CHIEF}.replica", 2, "Additional properties are not allowed ('replica' was unexpected)"),
        (f"{LIMITS}.cpu", "lots", "'lots' does not match"),  # a Kubernetes quantity
        ("spec.runPolicy.backoffLimit", 2**31, "is not a 'int32'"),
        (f"{CHIEF}.template.spec.containers", {"name": "tensorflow"}, "is not of type 'array'"),
    ],
)
def test_schema_rejects_what_the_api_server_would(
    validator: Draft7Validator, job: dict[str, Any], path: str, value: Any, error: str
) -> None:
    assert any(error in problem for problem in _problems(validator, _set(job, path, value)))


@pytest.mark.parametrize("cpu", [2, "1500m", "0.5"])
def test_quantities_are_int_or_string(validator: Draft7Validator, job: dict[str, Any], cpu: int | str) -> None:
    assert _problems(validator, _set(job, f"{LIMITS}.cpu", cpu)) == []


def test_manifest_passes_the_operators_admission_rules(job: dict[str, Any]) -> None:
    assert _admission_problems(job) == []
    assert _admission_problems(_set(job, f"{CHIEF}.template.spec.containers.0.name", "trainer")) == [
        f"Chief: needs a container named {constants.TFJOB_CONTAINER!r}"
    ]


def test_manifest_deserialises_into_the_sdk_tfjob_unchanged(job: dict[str, Any]) -> None:
    """The SDK drops fields its models do not know: a round trip that changes nothing means none were."""

    class _Response:  # what ApiClient.deserialize reads from an API answer
        data = json.dumps(job)

    client = ApiClient()
    model = client.deserialize(_Response(), constants.TFJOB_MODEL)
    assert isinstance(model, KubeflowOrgV1TFJob)
    assert client.sanitize_for_serialization(model) == job


def test_one_replica_because_scikit_learn_does_not_distribute(job: dict[str, Any]) -> None:
    specs = job["spec"]["tfReplicaSpecs"]
    assert {name: spec["replicas"] for name, spec in specs.items()} == {"Chief": 1}
    assert _tf_config(job, "Chief", 0) is None


def test_container_runs_the_projects_training_command(job: dict[str, Any]) -> None:
    container = _container(job)
    command, args = container["command"], container["args"]
    scripts = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert command == ["{{ cookiecutter.project_slug }}-train"]
    assert scripts[command[0]] == f"{pipeline.__name__}:main"
    (installed,) = entry_points(group="console_scripts", name=command[0])
    assert installed.load() is pipeline.main
    parsed = pipeline._parser("the container's arguments").parse_args(args)
    assert TrainingParams(regularization=parsed.regularization, max_iter=parsed.max_iter) == TrainingParams()


def _env_file(path: Path) -> dict[str, str]:
    """What ``kubectl create configmap --from-env-file`` reads: KEY=VALUE lines, comments and blanks skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))


def test_image_and_settings_are_the_projects(job: dict[str, Any]) -> None:
    settings = _env_file(PROJECT_ROOT / ".env.example")
    container = _container(job)
    assert container["image"] == settings["IMAGE"]
    config_map = "{{ cookiecutter.project_slug }}-settings"
    assert {"configMapRef": {"name": config_map}} in container["envFrom"]
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"kubectl create configmap {config_map} --from-env-file=.env" in readme
    assert "kubectl apply -f k8s/tfjob.yaml" in readme


def _run_replica(job: dict[str, Any], replica_type: str, index: int, cwd: Path) -> str:
    """The replica's container command, here, with the environment its pod would get."""
    container = _container(job, replica_type)
    # The settings ConfigMap, except the stores the test fixtures point at their own local
    # stand-ins (the shared fixtures clear every other setting from the environment).
    env = {**_env_file(PROJECT_ROOT / ".env.example"), **os.environ}
    env |= {variable["name"]: variable["value"] for variable in container.get("env", [])}
    if (tf_config := _tf_config(job, replica_type, index)) is not None:
        env["TF_CONFIG"] = tf_config
    # The image has the project's commands on PATH; here they are beside this interpreter.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(
        [*container["command"], *container["args"]], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("accuracy=")]
    return line


@pytest.mark.integration
def test_the_chief_trains_and_publishes_and_a_worker_would_only_repeat_it(
    job: dict[str, Any], workdir: Path, settings: Settings
) -> None:
    """The job as written publishes a model; a Worker added to it would train the same whole model again."""
    chief = _run_replica(job, "Chief", 0, workdir)
    assert float(chief.split()[0].removeprefix("accuracy=")) >= settings.min_accuracy
    assert registry.load_model(settings) is not None

    job["spec"]["tfReplicaSpecs"]["Worker"] = copy.deepcopy(job["spec"]["tfReplicaSpecs"]["Chief"])
    tf_config = json.loads(_tf_config(job, "Worker", 0) or "{}")
    assert tf_config["task"] == {"type": "worker", "index": 0}
    assert sorted(tf_config["cluster"]) == ["chief", "worker"]
    # The same training again: the same scores (it publishes one more version of the same model).
    assert _run_replica(job, "Worker", 0, workdir).split()[0] == chief.split()[0]
