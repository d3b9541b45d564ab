"""The manifests in ``k8s/base`` are ones a cluster accepts, and they run this project.

There is no cluster (and no kubectl) here. Every manifest is validated against the Kubernetes API's OpenAPI schemas as
``kubernetes-validate`` ships them, for Kubernetes 1.31 and the newest release it
knows, in strict mode: an unknown field fails, as it does under ``kubectl apply``'s strict
field validation. The other tests tie the manifests to the project: the image
reference, the Dockerfile's port and user, the probe paths on the real server, the
training console script and the settings of ``.env.example``.
"""

from __future__ import annotations

import copy
import json
import re
import sys
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from kubernetes_validate.utils import all_versions

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BASE = PROJECT_ROOT / "k8s" / "base"
KUSTOMIZATION = BASE / "kustomization.yaml"
# The oldest release with every field used here generally available (a Job's podFailurePolicy
# is GA since 1.31; older releases are out of support), and the newest the validator knows.
OLDEST_RELEASE = "1.31"
RELEASES = (OLDEST_RELEASE, all_versions()[-1])
SERVICE_MODULE = "{{ cookiecutter.package_name }}.service"
PROBES = ("startupProbe", "livenessProbe", "readinessProbe")


def _load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return document


def _resource_files() -> list[str]:
    resources: list[str] = _load(KUSTOMIZATION)["resources"]
    return resources


def _env_file(path: Path) -> dict[str, str]:
    """``NAME=value`` lines, as kustomize's ``envs`` and ``.env.example`` write them."""
    lines = path.read_text(encoding="utf-8").splitlines()
    pairs = (line.split("=", 1) for line in lines if line.strip() and not line.lstrip().startswith("#"))
    return {name.strip(): value for name, value in pairs}


def _dockerfile(instruction: str) -> str:
    """The argument of the last ``instruction`` in the Dockerfile (the runtime stage's)."""
    found = re.findall(rf"^{instruction} (.+)$", (PROJECT_ROOT / "Dockerfile").read_text(), re.MULTILINE)
    assert found, f"the Dockerfile has no {instruction}"
    return str(found[-1])


def _pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    spec = workload["spec"]
    template = spec["jobTemplate"]["spec"]["template"] if workload["kind"] == "CronJob" else spec["template"]
    pod: dict[str, Any] = template["spec"]
    return pod


@pytest.fixture(scope="module")
def manifests() -> dict[str, dict[str, Any]]:
    """kind -> the manifest, for the files the kustomization lists."""
    documents = [_load(BASE / name) for name in _resource_files()]
    return {document["kind"]: document for document in documents}


def test_the_kustomization_lists_every_manifest_and_settings_file() -> None:
    kustomization = _load(KUSTOMIZATION)
    on_disk = {path.name for path in BASE.glob("*.yaml")} - {KUSTOMIZATION.name}
    assert sorted(kustomization["resources"]) == sorted(on_disk)
    for generator in kustomization["configMapGenerator"]:
        for env_file in generator["envs"]:
            assert (BASE / env_file).is_file(), env_file


def _is_built_in(name: str) -> bool:
    """Kubernetes' own API groups are one word (apps, batch) or end in .k8s.io; others come from CRDs."""
    group = _load(BASE / name)["apiVersion"].rpartition("/")[0]
    return "." not in group or group.endswith(".k8s.io")


@pytest.mark.parametrize("release", RELEASES)
@pytest.mark.parametrize("name", [name for name in _resource_files() if _is_built_in(name)])
def test_each_manifest_is_valid_for_the_kubernetes_api(name: str, release: str) -> None:
    """Custom resources are left to the tool that adds them, which checks each against its CRD."""
    kubernetes_validate.validate(_load(BASE / name), release, strict=True)


@pytest.mark.parametrize(
    ("break_it", "error"),
    [
        (lambda deployment: deployment["spec"].update(replicas="two"), "'two' is not of type 'integer'"),
        (
            lambda deployment: _pod_spec(deployment)["containers"][0].update(imagePulPolicy="Always"),
            "'imagePulPolicy' was unexpected",
        ),
    ],
    ids=["mistyped", "misspelt"],
)
def test_a_broken_manifest_is_rejected(
    manifests: dict[str, dict[str, Any]], break_it: Callable[[dict[str, Any]], None], error: str
) -> None:
    """The validation above can fail: a wrong type or an unknown field is an error."""
    broken = copy.deepcopy(manifests["Deployment"])
    break_it(broken)
    with pytest.raises(kubernetes_validate.ValidationError, match=re.escape(error)):
        kubernetes_validate.validate(broken, RELEASES[-1], strict=True)


def test_the_settings_are_those_of_env_example() -> None:
    kustomization = _load(KUSTOMIZATION)
    [generator] = kustomization["configMapGenerator"]
    settings = {name for env_file in generator["envs"] for name in _env_file(BASE / env_file)}
    assert settings == set(_env_file(PROJECT_ROOT / ".env.example"))


def test_both_workloads_read_the_generated_settings(manifests: dict[str, dict[str, Any]]) -> None:
    """Both pods take their environment from the ConfigMap the kustomization generates.

    kustomize appends a content hash to the generated name and rewrites references
    that name it exactly; kubectl (which brings kustomize) is not installable here,
    so the build itself is not run.
    """
    [generator] = _load(KUSTOMIZATION)["configMapGenerator"]
    for kind in ("Deployment", "CronJob"):
        [container] = _pod_spec(manifests[kind])["containers"]
        config_maps = [source["configMapRef"]["name"] for source in container["envFrom"] if "configMapRef" in source]
        assert config_maps == [generator["name"]], kind


def test_the_pods_run_the_project_image_as_its_user(manifests: dict[str, dict[str, Any]]) -> None:
    image = _env_file(PROJECT_ROOT / ".env.example")["IMAGE"]
    user, group = (int(part) for part in _dockerfile("USER").split(":"))
    workdir = _dockerfile("WORKDIR")
    for kind in ("Deployment", "CronJob"):
        pod = _pod_spec(manifests[kind])
        [container] = pod["containers"]
        assert container["image"] == image, kind
        context = pod["securityContext"]
        assert (context["runAsNonRoot"], context["runAsUser"], context["runAsGroup"]) == (True, user, group), kind
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        # With a read-only root, the working directory (relative settings) and /tmp must be volumes.
        mounted = {mount["mountPath"] for mount in container["volumeMounts"]}
        assert {workdir, "/tmp"} <= mounted, kind
        assert container["resources"]["requests"], kind
        assert container["resources"]["limits"]["memory"], kind


def test_the_service_reaches_the_port_the_image_serves_on(manifests: dict[str, dict[str, Any]]) -> None:
    deployment, service = manifests["Deployment"], manifests["Service"]
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    assert service["spec"]["selector"].items() <= pod_labels.items()
    [container] = _pod_spec(deployment)["containers"]
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    [service_port] = service["spec"]["ports"]
    served = int(_dockerfile("EXPOSE"))
    assert ports[service_port["targetPort"]] == served == {{ stack.channels.http_service.port }}
    command: list[str] = json.loads(_dockerfile("CMD"))
    assert command[command.index("--port") + 1] == str(served), "the image's command serves on the exposed port"
    for probe in PROBES:
        assert ports[container[probe]["httpGet"]["port"]] == served, probe


def test_the_training_job_runs_the_training_console_script(manifests: dict[str, dict[str, Any]]) -> None:
    [container] = _pod_spec(manifests["CronJob"])["containers"]
    [command] = container["command"]
    scripts = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts[command] == "{{ cookiecutter.package_name }}.pipeline:main"
    [installed] = [entry for entry in entry_points(group="console_scripts") if entry.name == command]
    assert callable(installed.load())
    assert _pod_spec(manifests["CronJob"])["restartPolicy"] == "Never"


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.integration
def test_the_probes_answer_on_the_real_server(
    manifests: dict[str, dict[str, Any]], start_server: Callable[..., str]
) -> None:
    """A fresh cluster has no published model yet: the pod must live, and wait unready.

    (With a model, readiness answers 200: the service contract tests check that in-process.)
    """
    [container] = _pod_spec(manifests["Deployment"])["containers"]
    paths = {probe: container[probe]["httpGet"]["path"] for probe in PROBES}
    url = start_server(
        lambda port: [sys.executable, "-m", SERVICE_MODULE, "--host", "127.0.0.1", "--port", str(port)],
        ready=paths["startupProbe"],
    )
    assert _status(f"{url}{paths['livenessProbe']}") == 200, "alive without a model: no restart loop"
    assert _status(f"{url}{paths['readinessProbe']}") == 503, "not ready without a model: no traffic"
    assert _status(f"{url}/no-such-probe") == 404, "the server does not answer every path"
