"""Starting a training run on SageMaker Pipelines: an execution of the upserted pipeline.

moto's server stands in for the SageMaker API (``launch_runs_here`` in conftest.py):
it records the execution with its description; nothing runs, as on AWS it would.
"""

from __future__ import annotations

import os

import boto3
import pytest

from {{ cookiecutter.package_name }} import launch
from {{ cookiecutter.package_name }}.sagemaker_pipeline import PIPELINE_NAME


@pytest.mark.integration
def test_a_started_run_is_an_execution_of_the_pipeline_with_the_reason(launch_runs_here: bool) -> None:
    assert not launch_runs_here
    arn = launch.start_training("drift on petal_length")
    client = boto3.client("sagemaker", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name="us-east-1")
    execution = client.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert execution["PipelineArn"].endswith(f"pipeline/{PIPELINE_NAME}")
    assert execution["PipelineExecutionDescription"] == "drift on petal_length"
