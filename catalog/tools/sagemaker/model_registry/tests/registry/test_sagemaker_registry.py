"""What the SageMaker Model Registry holds after publishing, read back with boto3.

The AWS API is moto's server on 127.0.0.1 (no AWS account here): the calls,
the S3 objects and the registry state are real HTTP round trips to it.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import joblib
import pytest
from sklearn.pipeline import Pipeline

from {{ cookiecutter.package_name }} import registry
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.data import FEATURES, load_dataset
from {{ cookiecutter.package_name }}.model import TrainingParams, train_model


def _publish(settings: Settings, regularization: float, accuracy: float) -> str:
    model = train_model(load_dataset(), TrainingParams(regularization=regularization))
    return registry.publish(model, load_dataset()[list(FEATURES)].head(5), {"accuracy": accuracy}, settings)


def _packages(sagemaker: Any, settings: Settings) -> dict[int, dict[str, Any]]:
    summaries = sagemaker.list_model_packages(ModelPackageGroupName=settings.model_name)["ModelPackageSummaryList"]
    described = (sagemaker.describe_model_package(ModelPackageName=s["ModelPackageArn"]) for s in summaries)
    return {package["ModelPackageVersion"]: package for package in described}


def test_publishing_creates_the_group_and_a_version_awaiting_approval(sagemaker: Any, settings: Settings) -> None:
    version = _publish(settings, 1.0, 0.93)
    group = sagemaker.describe_model_package_group(ModelPackageGroupName=settings.model_name)
    assert group["ModelPackageGroupName"] == settings.model_name
    package = _packages(sagemaker, settings)[int(version)]
    assert package["ModelApprovalStatus"] == "PendingManualApproval"
    assert package["CustomerMetadataProperties"] == {"metric.accuracy": "0.93"}
    container = package["InferenceSpecification"]["Containers"][0]
    assert container["Framework"] == "SKLEARN"
    assert container["ModelDataUrl"].endswith("/model.tar.gz")


def test_the_champion_is_the_one_approved_version(sagemaker: Any, settings: Settings) -> None:
    first, second, third = (_publish(settings, r, a) for r, a in ((1.0, 0.9), (0.5, 0.95), (0.01, 0.8)))
    registry.set_alias(first, "champion", settings)
    registry.set_alias(second, "champion", settings)
    registry.set_alias(third, "challenger", settings)
    statuses = {str(v): p["ModelApprovalStatus"] for v, p in _packages(sagemaker, settings).items()}
    assert statuses == {first: "Rejected", second: "Approved", third: "PendingManualApproval"}
    approved = sagemaker.list_model_packages(ModelPackageGroupName=settings.model_name, ModelApprovalStatus="Approved")
    assert [p["ModelPackageVersion"] for p in approved["ModelPackageSummaryList"]] == [int(second)]
    group_arn = sagemaker.describe_model_package_group(ModelPackageGroupName=settings.model_name)[
        "ModelPackageGroupArn"
    ]
    tags = {t["Key"]: t["Value"] for t in sagemaker.list_tags(ResourceArn=group_arn)["Tags"]}
    assert tags == {"alias:champion": second, "alias:challenger": third}


def test_the_artifact_is_a_sagemaker_model_archive_in_s3(sagemaker: Any, s3: Any, settings: Settings) -> None:
    version = _publish(settings, 1.0, 0.93)
    url = _packages(sagemaker, settings)[int(version)]["InferenceSpecification"]["Containers"][0]["ModelDataUrl"]
    bucket, key = url.removeprefix("s3://").split("/", 1)
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    with tarfile.open(fileobj=io.BytesIO(body), mode="r:gz") as tar:
        assert tar.getnames() == ["model.joblib"]
        model = joblib.load(tar.extractfile("model.joblib"))
    assert isinstance(model, Pipeline)
    assert model.predict(load_dataset()[list(FEATURES)].iloc[[0]]).tolist() == [0]


@pytest.mark.integration
def test_pipeline_publishes_to_the_moto_server_make_services_up_starts(
    start_server: Callable[..., str], settings: Settings
) -> None:
    """The same ``moto_server`` command as ``make services-up``, in its own process, then the local runner."""
    moto_server = str(Path(sys.executable).with_name("moto_server"))
    url = start_server(lambda port: [moto_server, "-H", "127.0.0.1", "-p", str(port)], ready="/moto-api/")
    env = {**os.environ, "AWS_ENDPOINT_URL": url}
    subprocess.run([sys.executable, "-m", "{{ cookiecutter.package_name }}.pipeline"], env=env, check=True)
    sagemaker = boto3.client("sagemaker", endpoint_url=url)
    approved = sagemaker.list_model_packages(ModelPackageGroupName=settings.model_name, ModelApprovalStatus="Approved")
    assert len(approved["ModelPackageSummaryList"]) == 1
