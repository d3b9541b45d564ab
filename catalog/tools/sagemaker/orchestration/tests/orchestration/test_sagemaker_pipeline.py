"""The SageMaker pipeline as SageMaker receives it: the definition JSON, built with dummy
credentials and no network; upserted on a local moto server; and its step commands run here,
in order, on a local folder standing in for S3.

No AWS account is used: nothing here runs on SageMaker (see the README).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest

from {{ cookiecutter.package_name }} import registry
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.sagemaker_pipeline import (
    INPUT_DIR,
    PIPELINE_NAME,
    RUN_DIR,
    AwsSettings,
    definition,
    main,
)

COMMAND = "{{ cookiecutter.project_slug }}-step"
STEPS = ["ingest", "split", "train", "evaluate", "register"]
GATE, MODEL_PACKAGE = "quality-gate", "register-model-package"
JOB_ROOT = "/opt/ml/processing"


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """No connection to anything but 127.0.0.1 (the AWS settings are those of conftest.py)."""
    # The shared fixture cleared .env.example's settings; the SDK reads the region from the environment.
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    connect, getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def local_only(host: object) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise AssertionError(f"the test tried to reach {host!r}")

    def guarded_connect(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            local_only(address[0])
        connect(sock, address)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        local_only(host)
        return getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    """The definition, built once for the tests that only read it, from .env.example's defaults."""
    env_example = Path(__file__).resolve().parents[2] / ".env.example"
    lines = env_example.read_text(encoding="utf-8").splitlines()
    with pytest.MonkeyPatch.context() as patch:
        for line in lines:
            if "=" in line and not line.startswith("#"):
                patch.delenv(line.split("=", 1)[0], raising=False)
        patch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        return definition()


def _steps(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every step by name, the condition's branches included."""
    found: dict[str, dict[str, Any]] = {}
    for step in spec["Steps"]:
        found[step["Name"]] = step
        for branch in ("IfSteps", "ElseSteps"):
            found.update(_steps({"Steps": step.get("Arguments", {}).get(branch, [])}))
    return found


def _output(step: str) -> dict[str, str]:
    return {"Get": f"Steps.{step}.ProcessingOutputConfig.Outputs['run'].S3Output.S3Uri"}


def _parameter(name: str) -> dict[str, Any]:
    return {"Std:Join": {"On": "", "Values": [{"Get": f"Parameters.{name}"}]}}


def test_the_network_guard_refuses_anything_but_localhost() -> None:
    with pytest.raises(AssertionError, match="tried to reach"):
        socket.getaddrinfo("sagemaker.us-east-1.amazonaws.com", 443)


def test_the_five_steps_run_the_step_command_in_the_project_image_in_order(spec: dict[str, Any]) -> None:
    assert [step["Name"] for step in spec["Steps"]] == [*STEPS[:4], GATE]
    steps = _steps(spec)
    image = AwsSettings.from_env().image_uri
    for before, name in zip([None, *STEPS], STEPS, strict=False):
        job = steps[name]
        assert job["Type"] == "Processing"
        app = job["Arguments"]["AppSpecification"]
        assert app["ImageUri"] == image
        assert app["ContainerArguments"][:4] == [COMMAND, name, "--run-dir", RUN_DIR]
        assert app["ContainerEntrypoint"][:2] == ["/bin/sh", "-c"]
        [output] = job["Arguments"]["ProcessingOutputConfig"]["Outputs"]
        assert output["S3Output"]["LocalPath"] == RUN_DIR
        inputs = job["Arguments"].get("ProcessingInputs", [])
        if before is None:
            assert inputs == []
        else:  # each step reads the run folder the one before it wrote: that is the order
            [run_input] = inputs
            assert run_input["S3Input"]["S3Uri"] == _output(before)
            assert run_input["S3Input"]["LocalPath"] == INPUT_DIR
        retry = job["RetryPolicies"][0]
        assert "SageMaker.JOB_INTERNAL_ERROR" in retry["ExceptionType"]
    assert "CacheConfig" not in steps["ingest"], "ingest reads data that changes"
    assert steps["train"]["CacheConfig"]["Enabled"]
    assert "CacheConfig" not in steps["evaluate"]


def test_hyper_parameters_and_the_gate_are_pipeline_parameters(spec: dict[str, Any], settings: Settings) -> None:
    parameters = {p["Name"]: (p["Type"], p["DefaultValue"]) for p in spec["Parameters"]}
    assert parameters == {
        "Regularization": ("Float", 1.0),
        "MaxIter": ("Integer", 500),
        "MinAccuracy": ("Float", settings.min_accuracy),
        "InstanceType": ("String", "ml.m5.large"),
    }
    steps = _steps(spec)
    for name in ("train", "evaluate"):
        arguments = steps[name]["Arguments"]["AppSpecification"]["ContainerArguments"]
        assert arguments[4:] == ["--regularization", _parameter("Regularization"), "--max-iter", _parameter("MaxIter")]
    assert steps["evaluate"]["Arguments"]["Environment"]["MIN_ACCURACY"] == _parameter("MinAccuracy")

    [condition] = steps[GATE]["Arguments"]["Conditions"]
    assert condition["Type"] == "GreaterThanOrEqualTo"
    assert condition["LeftValue"]["Std:JsonGet"] == {
        "PropertyFile": {"Get": "Steps.evaluate.PropertyFiles.EvaluationReport"},
        "Path": "accuracy",
    }
    assert condition["RightValue"] == {"Get": "Parameters.MinAccuracy"}
    assert steps["evaluate"]["PropertyFiles"] == [
        {"PropertyFileName": "EvaluationReport", "OutputName": "run", "FilePath": "metrics.json"}
    ]
    assert [step["Name"] for step in steps[GATE]["Arguments"]["IfSteps"]] == ["register", MODEL_PACKAGE]
    assert steps[GATE]["Arguments"]["ElseSteps"] == []


def test_the_evaluated_model_is_registered_as_a_model_package(spec: dict[str, Any], settings: Settings) -> None:
    package = _steps(spec)[MODEL_PACKAGE]
    assert package["Type"] == "RegisterModel"
    arguments = package["Arguments"]
    assert arguments["ModelPackageGroupName"] == settings.model_name
    assert arguments["ModelApprovalStatus"] == "PendingManualApproval"
    [container] = arguments["InferenceSpecification"]["Containers"]
    assert container["Image"] == AwsSettings.from_env().image_uri
    source = container["ModelDataSource"]["S3DataSource"]
    assert (source["S3DataType"], source["CompressionType"]) == ("S3Prefix", "None")
    assert source["S3Uri"] == {"Std:Join": {"On": "", "Values": [_output("evaluate"), "/"]}}
    statistics = arguments["ModelMetrics"]["ModelQuality"]["Statistics"]
    assert statistics["S3Uri"] == {"Std:Join": {"On": "/", "Values": [_output("evaluate"), "metrics.json"]}}


def test_aws_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/model:2"
    monkeypatch.setenv("SAGEMAKER_IMAGE_URI", image)
    monkeypatch.setenv("SAGEMAKER_ROLE_ARN", "arn:aws:iam::111122223333:role/ml")
    monkeypatch.setenv("SAGEMAKER_BUCKET", "team-bucket")
    monkeypatch.setenv("MODEL_NAME", "team-model")
    steps = _steps(definition())
    app = steps["split"]["Arguments"]
    assert app["AppSpecification"]["ImageUri"] == image
    assert app["RoleArn"] == "arn:aws:iam::111122223333:role/ml"
    [output] = app["ProcessingOutputConfig"]["Outputs"]
    assert output["S3Output"]["S3Uri"]["Std:Join"]["Values"][0] == "s3://team-bucket/{{ cookiecutter.project_slug }}"
    assert steps[MODEL_PACKAGE]["Arguments"]["ModelPackageGroupName"] == "team-model"


def test_the_command_writes_the_definition(workdir: Path) -> None:
    """Built in this test's environment both times: the jobs' settings are the building shell's."""
    main(["--output", "pipeline.json"])
    assert json.loads((workdir / "pipeline.json").read_text()) == definition()


@pytest.mark.integration
def test_upsert_creates_the_pipeline_on_a_local_sagemaker_api(
    start_server: Any, monkeypatch: pytest.MonkeyPatch, workdir: Path
) -> None:
    """moto's server stands in for the SageMaker API: it stores the definition, it does not validate or run it."""
    url = start_server(
        lambda port: [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], ready="/moto-api/"
    )
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    main(["--output", "pipeline.json", "--upsert"])
    client = boto3.client("sagemaker", endpoint_url=url, region_name=AwsSettings.from_env().region)
    described = client.describe_pipeline(PipelineName=PIPELINE_NAME)
    assert described["RoleArn"] == AwsSettings.from_env().role_arn
    assert json.loads(described["PipelineDefinition"]) == json.loads((workdir / "pipeline.json").read_text())
    assert [p["PipelineName"] for p in client.list_pipelines()["PipelineSummaries"]] == [PIPELINE_NAME]


class LocalExecution:
    """Runs the definition's jobs here, as SageMaker would: S3 is a folder, each job gets its own ``/opt/ml``."""

    def __init__(self, spec: dict[str, Any], root: Path) -> None:
        self.parameters = {p["Name"]: p["DefaultValue"] for p in spec["Parameters"]}
        self.root = root
        self.outputs: dict[str, str] = {}  # step name -> S3 URI of its run folder

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and "Get" in value:
            path: str = value["Get"]
            if path.startswith("Parameters."):
                return self.parameters[path.removeprefix("Parameters.")]
            if path == "Execution.PipelineExecutionId":
                return "local-execution"
            step = path.split(".")[1]
            assert path == _output(step)["Get"], f"unexpected reference {path}"
            return self.outputs[step]
        if isinstance(value, dict) and "Std:Join" in value:
            join = value["Std:Join"]
            return join["On"].join(str(self.resolve(part)) for part in join["Values"])
        return value

    def s3(self, uri: str) -> Path:
        return self.root / "s3" / uri.removeprefix("s3://")

    def run(self, job: dict[str, Any], cwd: Path) -> None:
        arguments = job["Arguments"]
        job_root = self.root / "jobs" / job["Name"]
        local = lambda path: path.replace(JOB_ROOT, str(job_root))  # noqa: E731
        for run_input in arguments.get("ProcessingInputs", []):
            source = run_input["S3Input"]
            shutil.copytree(self.s3(self.resolve(source["S3Uri"])), local(source["LocalPath"]))
        [output] = arguments["ProcessingOutputConfig"]["Outputs"]
        Path(local(output["S3Output"]["LocalPath"])).mkdir(parents=True)
        app = arguments["AppSpecification"]
        command = [local(str(self.resolve(part))) for part in app["ContainerEntrypoint"] + app["ContainerArguments"]]
        environment = {name: str(self.resolve(value)) for name, value in arguments["Environment"].items()}
        # The image has the project's commands on PATH; here they are beside this interpreter.
        scripts = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
        result = subprocess.run(
            command,
            cwd=cwd,
            env={**os.environ, **environment, "PATH": scripts},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, f"{job['Name']}: {command}\n{result.stdout[-2000:]}{result.stderr[-3000:]}"
        uri = str(self.resolve(output["S3Output"]["S3Uri"]))
        shutil.copytree(local(output["S3Output"]["LocalPath"]), self.s3(uri))
        self.outputs[job["Name"]] = uri


@pytest.mark.integration
def test_the_step_commands_of_the_definition_train_and_publish_the_model(workdir: Path, settings: Settings) -> None:
    """Built here, so its jobs reach this test's services (the local stand-ins) as a team's reach theirs."""
    spec = definition()
    steps = _steps(spec)
    execution = LocalExecution(spec, workdir / "sagemaker")
    for name in STEPS[:4]:
        execution.run(steps[name], cwd=workdir)

    [condition] = steps[GATE]["Arguments"]["Conditions"]
    [report] = steps["evaluate"]["PropertyFiles"]
    metrics = json.loads((execution.s3(execution.outputs["evaluate"]) / report["FilePath"]).read_text())
    assert metrics[condition["LeftValue"]["Std:JsonGet"]["Path"]] >= execution.resolve(condition["RightValue"])
    execution.run(steps["register"], cwd=workdir)

    run_dir = execution.s3(execution.outputs["register"])
    assert {path.name for path in run_dir.iterdir()} >= {"dataset.csv", "train.csv", "model.joblib", "metrics.json"}
    assert registry.load_model(settings) is not None
