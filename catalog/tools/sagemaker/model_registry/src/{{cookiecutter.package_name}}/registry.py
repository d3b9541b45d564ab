"""Publish models to the SageMaker Model Registry and load the one serving should use.

``MODEL_NAME`` is a model package group; each published version is a model
package in it. The model travels as a SageMaker artifact in S3: ``model.tar.gz``
holding ``model.joblib``, the layout SageMaker's scikit-learn containers load.
Its metrics are the package's customer metadata. An alias (``champion``,
``challenger``) is a tag on the group naming a version; the version behind the
serving alias (``MODEL_ALIAS``) is the group's one ``Approved`` package, so a
SageMaker deployment that follows approvals serves the same model as this project.

Every call goes through ``aws.client``: to the local moto stand-in that
``make services-up`` starts while ``AWS_ENDPOINT_URL`` is unset, else to the
configured endpoint (empty for AWS itself).
"""

from __future__ import annotations

import io
import os
import tarfile
import uuid
from typing import Any

import joblib
import pandas as pd
import sklearn
from botocore.exceptions import ClientError
from sklearn.pipeline import Pipeline

from {{ cookiecutter.package_name }} import aws
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.errors import ModelNotFoundError

METRIC_KEY = "metric."
ALIAS_TAG = "alias:"
APPROVED, PENDING, REJECTED = "Approved", "PendingManualApproval", "Rejected"
ARTIFACT, MODEL_FILE = "model.tar.gz", "model.joblib"


def _bucket(settings: Settings) -> str:
    return os.environ.get("SAGEMAKER_MODEL_BUCKET", f"{settings.model_name.replace('_', '-')}-models")


def _not_found(error: ClientError) -> bool:
    # SageMaker reports a missing group as a ValidationException, S3 a missing bucket as 404.
    code = error.response["Error"]["Code"]
    return code in {"ValidationException", "ResourceNotFound", "404", "NoSuchBucket"}


def _group_arn(sagemaker: Any, settings: Settings) -> str | None:
    try:
        group = sagemaker.describe_model_package_group(ModelPackageGroupName=settings.model_name)
    except ClientError as error:
        if _not_found(error):
            return None
        raise
    return str(group["ModelPackageGroupArn"])


def _ensure_bucket(s3: Any, bucket: str) -> None:
    """Create the artifact bucket on first use, as the SageMaker SDK does with its default bucket."""
    try:
        s3.head_bucket(Bucket=bucket)
    except ClientError as error:
        if not _not_found(error):
            raise
        region = s3.meta.region_name
        location = {} if region == aws.DEFAULT_REGION else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        s3.create_bucket(Bucket=bucket, **location)


def _package_arns(sagemaker: Any, settings: Settings) -> dict[str, str]:
    """Every version of the group: version number -> model package ARN."""
    arns: dict[str, str] = {}
    for page in sagemaker.get_paginator("list_model_packages").paginate(ModelPackageGroupName=settings.model_name):
        for package in page["ModelPackageSummaryList"]:
            arns[str(package["ModelPackageVersion"])] = package["ModelPackageArn"]
    return arns


def _alias_tags(sagemaker: Any, group_arn: str) -> dict[str, str]:
    tags = sagemaker.list_tags(ResourceArn=group_arn)["Tags"]
    return {t["Key"].removeprefix(ALIAS_TAG): t["Value"] for t in tags if t["Key"].startswith(ALIAS_TAG)}


def _package_behind(alias: str, settings: Settings) -> dict[str, Any] | None:
    """The model package the alias names, or None when the group or the alias does not exist yet."""
    sagemaker = aws.client("sagemaker")
    group_arn = _group_arn(sagemaker, settings)
    if group_arn is None:
        return None
    version = _alias_tags(sagemaker, group_arn).get(alias)
    if version is None:
        return None
    package: dict[str, Any] = sagemaker.describe_model_package(
        ModelPackageName=_package_arns(sagemaker, settings)[version]
    )
    return package


def model_uri(settings: Settings) -> str:
    """The group and alias serving loads: stable across promotions, like ``models:/<name>@<alias>``."""
    return f"sagemaker-model-package-group:{settings.model_name}@{settings.model_alias}"


def version_uri(version: str, settings: Settings) -> str:
    """The ARN of the model package that is version ``version`` of the group."""
    return _package_arns(aws.client("sagemaker"), settings)[version]


def publish(model: Pipeline, example: pd.DataFrame, metrics: dict[str, float], settings: Settings) -> str:
    """Upload ``model`` to S3 and register it as a new version awaiting approval; return its number."""
    sagemaker, s3 = aws.client("sagemaker"), aws.client("s3")
    if _group_arn(sagemaker, settings) is None:
        sagemaker.create_model_package_group(
            ModelPackageGroupName=settings.model_name,
            ModelPackageGroupDescription=f"Versions of {settings.model_name}, published by its training pipeline",
        )
    bucket = _bucket(settings)
    _ensure_bucket(s3, bucket)
    # The version number exists only once the package does: a unique prefix keeps uploads apart.
    key = f"{settings.model_name}/{uuid.uuid4().hex}/{ARTIFACT}"
    s3.put_object(Bucket=bucket, Key=key, Body=_archive(model))
    package = sagemaker.create_model_package(
        ModelPackageGroupName=settings.model_name,
        ModelPackageDescription=f"Trained on {len(example.columns)} features: {', '.join(example.columns)}",
        InferenceSpecification={
            "Containers": [
                {
                    "ModelDataUrl": f"s3://{bucket}/{key}",
                    "Framework": "SKLEARN",
                    "FrameworkVersion": sklearn.__version__,
                }
            ],
            "SupportedContentTypes": ["application/json"],
            "SupportedResponseMIMETypes": ["application/json"],
        },
        ModelApprovalStatus=PENDING,
        CustomerMetadataProperties={f"{METRIC_KEY}{name}": str(value) for name, value in metrics.items()},
    )
    return str(sagemaker.describe_model_package(ModelPackageName=package["ModelPackageArn"])["ModelPackageVersion"])


def _archive(model: Pipeline) -> bytes:
    payload = io.BytesIO()
    joblib.dump(model, payload)
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w:gz") as tar:
        member = tarfile.TarInfo(MODEL_FILE)
        member.size = payload.tell()
        payload.seek(0)
        tar.addfile(member, payload)
    return archive.getvalue()


def set_alias(version: str, alias: str, settings: Settings) -> None:
    """Point ``alias`` at ``version``; moving the serving alias approves it and rejects the one it replaces."""
    sagemaker = aws.client("sagemaker")
    group_arn = _group_arn(sagemaker, settings)
    if group_arn is None:
        raise ModelNotFoundError(f"no model package group {settings.model_name}: publish a version first")
    arns = _package_arns(sagemaker, settings)
    previous = _alias_tags(sagemaker, group_arn).get(alias)
    sagemaker.add_tags(ResourceArn=group_arn, Tags=[{"Key": f"{ALIAS_TAG}{alias}", "Value": version}])
    if alias != settings.model_alias:
        return
    _set_status(sagemaker, arns[version], APPROVED, f"{alias}: the version serving loads")
    if previous is not None and previous != version:
        _set_status(sagemaker, arns[previous], REJECTED, f"replaced as {alias} by version {version}")


def _set_status(sagemaker: Any, arn: str, status: str, reason: str) -> None:
    # The metadata is sent back unchanged: AWS merges it (a no-op), and moto's
    # stand-in would otherwise drop it from the package on any update.
    metadata = sagemaker.describe_model_package(ModelPackageName=arn).get("CustomerMetadataProperties", {})
    sagemaker.update_model_package(
        ModelPackageArn=arn,
        ModelApprovalStatus=status,
        ApprovalDescription=reason,
        CustomerMetadataProperties=metadata,
    )


def alias_metrics(alias: str, settings: Settings) -> dict[str, float] | None:
    """The metrics of the version behind ``alias``, or None when no version holds it."""
    package = _package_behind(alias, settings)
    if package is None:
        return None
    metadata: dict[str, str] = package.get("CustomerMetadataProperties", {})
    return {key.removeprefix(METRIC_KEY): float(value) for key, value in metadata.items() if key.startswith(METRIC_KEY)}


def load_model(settings: Settings) -> Pipeline:
    """Download and load the version behind the serving alias."""
    package = _package_behind(settings.model_alias, settings)
    if package is None:
        raise ModelNotFoundError(f"no version holds {model_uri(settings)}: run the training pipeline first")
    url = package["InferenceSpecification"]["Containers"][0]["ModelDataUrl"]
    bucket, key = url.removeprefix("s3://").split("/", 1)
    body = aws.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    with tarfile.open(fileobj=io.BytesIO(body), mode="r:gz") as tar:
        member = tar.extractfile(MODEL_FILE)
        if member is None:
            raise ModelNotFoundError(f"{url} holds no {MODEL_FILE}")
        model: Pipeline = joblib.load(member)
    return model
