"""katib/experiment.yaml is a Katib Experiment, checked with Katib's own API models.

Katib's CRD carries no OpenAPI schema, so the cluster's API server would accept
anything; Katib's admission webhook is what refuses a bad Experiment. Here the
manifest goes through the pydantic models Katib publishes (``kubeflow-katib-api``)
and must come back unchanged: those models drop fields they do not know, so a
misspelt field shows up as a difference. The trialParameters checks follow
Katib's webhook, pkg/webhook/v1beta1/experiment/validator/validator.go
(``validateTrialTemplate``) in kubeflow/katib at commit 33c8ff4e5d1814b59abd308e6819e839e9906bc2.
"""

from __future__ import annotations

import copy
import dataclasses
import re
import typing
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
import yaml
from kubeflow_katib_api.models import IoK8sApiCoreV1PodTemplateSpec, V1beta1Experiment

from {{ cookiecutter.package_name }}.model import TrainingParams

MANIFEST = Path(__file__).resolve().parents[2] / "katib" / "experiment.yaml"
# consts.TrialTemplateParamReplaceFormatRegex, pkg/controller.v1beta1/consts/const.go (same commit).
PLACEHOLDER = re.compile(r"\$\{trialParameters\.(.+?)\}")
KATIB_TYPES = {float: "double", int: "int"}


@pytest.fixture
def manifest() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return loaded


def _round_trip(document: dict[str, Any]) -> dict[str, Any]:
    experiment = V1beta1Experiment.from_dict(document)
    assert experiment is not None
    return experiment.to_dict()


def test_the_manifest_is_a_katib_experiment_field_for_field(manifest: dict[str, Any]) -> None:
    assert manifest["apiVersion"] == "kubeflow.org/v1beta1"
    assert manifest["kind"] == "Experiment"
    assert _round_trip(manifest) == manifest


def test_a_misspelt_or_mistyped_field_is_caught(manifest: dict[str, Any]) -> None:
    """The round trip above can fail: Katib's models drop an unknown field and refuse a wrong type."""
    misspelt = copy.deepcopy(manifest)
    misspelt["spec"]["maxTrialCounts"] = misspelt["spec"].pop("maxTrialCount")
    assert _round_trip(misspelt) != misspelt
    mistyped = copy.deepcopy(manifest)
    mistyped["spec"]["parameters"][0]["feasibleSpace"]["min"] = 0.001  # Katib's API wants "0.001"
    with pytest.raises(ValueError, match="min"):
        V1beta1Experiment.from_dict(mistyped)


def test_the_search_space_is_the_models_hyper_parameters(manifest: dict[str, Any]) -> None:
    spec = manifest["spec"]
    hints = typing.get_type_hints(TrainingParams)
    assert {parameter["name"]: parameter["parameterType"] for parameter in spec["parameters"]} == {
        field.name: KATIB_TYPES[hints[field.name]] for field in dataclasses.fields(TrainingParams)
    }
    for parameter in spec["parameters"]:
        space = parameter["feasibleSpace"]
        assert 0 < float(space["min"]) < float(space["max"]), parameter["name"]
    defaults = TrainingParams()
    for parameter in spec["parameters"]:
        space = parameter["feasibleSpace"]
        value = getattr(defaults, parameter["name"])
        assert float(space["min"]) <= value <= float(space["max"]), f"the default {parameter['name']} is searched"
    objective = spec["objective"]
    assert objective["objectiveMetricName"] == "accuracy"
    assert objective["objectiveMetricName"] not in objective["additionalMetricNames"]
    assert spec["metricsCollectorSpec"]["collector"]["kind"] == "StdOut"
    assert spec["parallelTrialCount"] <= spec["maxTrialCount"]


def test_the_trial_template_uses_every_parameter_once(manifest: dict[str, Any]) -> None:
    template = manifest["spec"]["trialTemplate"]
    names = [item["name"] for item in template["trialParameters"]]
    references = [item["reference"] for item in template["trialParameters"]]
    assert len(set(names)) == len(names)
    assert sorted(references) == sorted(parameter["name"] for parameter in manifest["spec"]["parameters"])
    used = PLACEHOLDER.findall(yaml.safe_dump(template["trialSpec"]))
    assert sorted(set(used)) == sorted(names), "every placeholder is declared, every declared one used"


def test_each_trial_is_a_job_running_the_trial_command_in_the_project_image(manifest: dict[str, Any]) -> None:
    template = manifest["spec"]["trialTemplate"]
    job = template["trialSpec"]
    assert (job["apiVersion"], job["kind"]) == ("batch/v1", "Job")
    assert "metadata" not in job, "Katib names each trial's Job itself"
    assert job["spec"]["backoffLimit"] == 0
    pod = IoK8sApiCoreV1PodTemplateSpec.from_dict(job["spec"]["template"])
    assert pod is not None
    assert pod.to_dict() == job["spec"]["template"], "the pod template is a Kubernetes PodTemplateSpec"
    assert pod.spec is not None
    assert pod.spec.restart_policy == "Never"
    (container,) = [c for c in pod.spec.containers if c.name == template["primaryContainerName"]]
    assert container.image == "{{ cookiecutter.__image }}"
    assert container.resources is not None
    assert container.resources.limits
    scripts = {entry.name: entry.value for entry in entry_points(group="console_scripts")}
    assert container.command is not None
    assert scripts[container.command[0]] == "{{ cookiecutter.package_name }}.tuning:trial_main"
