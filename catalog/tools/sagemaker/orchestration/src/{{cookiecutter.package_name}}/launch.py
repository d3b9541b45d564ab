"""Start a training run of the SageMaker pipeline: a pipeline execution, through boto3.

The pipeline ``{{ cookiecutter.project_slug }}-training`` must exist (``{{ cookiecutter.project_slug }}-sagemaker-pipeline --upsert``);
SageMaker runs it, and this returns the execution's ARN at once, with the reason
as the execution's description.
"""

from __future__ import annotations

import logging
import uuid

import boto3

from {{ cookiecutter.package_name }}.sagemaker_pipeline import PIPELINE_NAME, AwsSettings

logger = logging.getLogger(__name__)


def start_training(reason: str) -> str:
    logger.info("training on SageMaker Pipelines: %s", reason)
    client = boto3.client("sagemaker", region_name=AwsSettings.from_env().region)
    execution = client.start_pipeline_execution(
        PipelineName=PIPELINE_NAME,
        PipelineExecutionDescription=reason[:3072],
        ClientRequestToken=uuid.uuid4().hex,
    )
    return str(execution["PipelineExecutionArn"])
