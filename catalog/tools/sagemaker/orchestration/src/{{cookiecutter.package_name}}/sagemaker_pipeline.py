"""Amazon SageMaker Pipelines definition of the training pipeline (SageMaker Python SDK v3).

Every step is a SageMaker Processing job in the project's container image that
runs the project's own command, ``{{ cookiecutter.project_slug }}-step <step> --run-dir DIR``:
this module holds wiring only. Each job receives the run folder the previous step
left in S3, adds its files and hands the folder on, so the run's data, model and
metrics stay together under ``s3://BUCKET/PREFIX/<execution id>/<step>/``. A
condition on the evaluation report (``metrics.json``) guards the registration: the
project's ``register`` step and a model package in the SageMaker Model Registry.

``{{ cookiecutter.project_slug }}-sagemaker-pipeline`` writes the pipeline definition
(JSON) with no AWS call; ``--upsert`` creates or updates the pipeline in the account
the AWS credentials point at.
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from sagemaker.core.helper.session_helper import Session
from sagemaker.core.model_metrics import MetricsSource, ModelMetrics
from sagemaker.core.processing import Processor
from sagemaker.core.shapes import ProcessingInput, ProcessingOutput, ProcessingS3Input, ProcessingS3Output
from sagemaker.core.workflow.conditions import ConditionGreaterThanOrEqualTo
from sagemaker.core.workflow.execution_variables import ExecutionVariables
from sagemaker.core.workflow.functions import Join, JsonGet
from sagemaker.core.workflow.parameters import ParameterFloat, ParameterInteger, ParameterString
from sagemaker.core.workflow.pipeline_context import PipelineSession
from sagemaker.core.workflow.properties import PropertyFile
from sagemaker.mlops.workflow.condition_step import ConditionStep
from sagemaker.mlops.workflow.model_step import ModelStep
from sagemaker.mlops.workflow.pipeline import Pipeline
from sagemaker.mlops.workflow.retry import SageMakerJobExceptionTypeEnum, SageMakerJobStepRetryPolicy
from sagemaker.mlops.workflow.steps import CacheConfig, ProcessingStep
from sagemaker.serve.model_builder import ModelBuilder

from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.model import TrainingParams

PIPELINE_NAME = "{{ cookiecutter.project_slug }}-training"
STEP_COMMAND = "{{ cookiecutter.project_slug }}-step"
# Placeholders in a made-up account (123456789012): set the real ones in .env.
PLACEHOLDER_IMAGE_URI = "123456789012.dkr.ecr.us-east-1.amazonaws.com/{{ cookiecutter.project_slug }}:latest"
PLACEHOLDER_ROLE_ARN = "arn:aws:iam::123456789012:role/{{ cookiecutter.project_slug }}-sagemaker"
ENV_EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"

# Where the jobs see the run folder. SageMaker downloads a job's inputs and uploads
# its outputs from different folders, so the previous step's folder arrives in
# INPUT_DIR (ingest has none) and is copied into RUN_DIR, the folder the step command
# works in; then the shell becomes the command given as the job's arguments.
RUN_DIR = "/opt/ml/processing/run"
INPUT_DIR = "/opt/ml/processing/input/run"
RUN_OUTPUT = "run"
COPY_THEN_RUN = f'[ ! -d {INPUT_DIR} ] || cp -R {INPUT_DIR}/. {RUN_DIR}/ && exec "$0" "$@"'

# Retry what SageMaker itself gets wrong (its internal errors, no capacity), never a
# failing command: a model below the quality gate stays below it.
RETRY = SageMakerJobStepRetryPolicy(
    exception_types=[SageMakerJobExceptionTypeEnum.INTERNAL_ERROR, SageMakerJobExceptionTypeEnum.CAPACITY_ERROR],
    failure_reason_types=[SageMakerJobExceptionTypeEnum.INTERNAL_ERROR, SageMakerJobExceptionTypeEnum.CAPACITY_ERROR],
    max_attempts=2,
)
# Split and train are pure functions of their inputs and parameters: reuse a result of the last month.
CACHE = CacheConfig(enable_caching=True, expire_after="P30D")
# The SDK reports each call to its vendor unless told not to; building a definition must stay offline.
SDK_DEFAULTS = {"SchemaVersion": "1.0", "SageMaker": {"PythonSDK": {"Modules": {"TelemetryOptOut": True}}}}


@dataclass(frozen=True)
class AwsSettings:
    """Where the pipeline runs: the ``SAGEMAKER_*`` settings and ``AWS_DEFAULT_REGION`` (see ``.env.example``)."""

    image_uri: str
    role_arn: str
    bucket: str
    prefix: str
    region: str

    @classmethod
    def from_env(cls) -> AwsSettings:
        env = os.environ.get
        return cls(
            image_uri=env("SAGEMAKER_IMAGE_URI", PLACEHOLDER_IMAGE_URI),
            role_arn=env("SAGEMAKER_ROLE_ARN", PLACEHOLDER_ROLE_ARN),
            bucket=env("SAGEMAKER_BUCKET", "{{ cookiecutter.project_slug }}-sagemaker"),
            prefix=env("SAGEMAKER_PREFIX", "{{ cookiecutter.project_slug }}"),
            region=env("AWS_DEFAULT_REGION", "us-east-1"),
        )


def settings() -> dict[str, str]:
    """The project's settings: ``.env.example``'s defaults, overridden by the building shell."""
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines() if ENV_EXAMPLE.is_file() else []
    defaults = dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))
    return {name: os.environ.get(name, default) for name, default in defaults.items()}


def pipeline_session(aws: AwsSettings) -> PipelineSession:
    """A session that records job requests instead of starting jobs; it makes no AWS call by itself."""
    return PipelineSession(
        boto_session=boto3.Session(region_name=aws.region),
        default_bucket=aws.bucket,
        default_bucket_prefix=aws.prefix,
        sagemaker_config=SDK_DEFAULTS,
    )


def build_pipeline(aws: AwsSettings | None = None, session: Session | None = None) -> Pipeline:
    """The training pipeline: five step commands, the quality gate, and the model package registration."""
    aws = aws or AwsSettings.from_env()
    session = session or pipeline_session(aws)
    project = Settings.from_env()
    defaults = TrainingParams()

    regularization = ParameterFloat(name="Regularization", default_value=defaults.regularization)
    max_iter = ParameterInteger(name="MaxIter", default_value=defaults.max_iter)
    min_accuracy = ParameterFloat(name="MinAccuracy", default_value=project.min_accuracy)
    instance_type = ParameterString(name="InstanceType", default_value="ml.m5.large")
    hyper_parameters = ["--regularization", regularization.to_string(), "--max-iter", max_iter.to_string()]

    # Every job gets the project's settings (tracking and registry servers, say) as
    # they are where the pipeline is built; the gate's threshold is a pipeline parameter.
    environment: dict[str, Any] = {**settings(), "MIN_ACCURACY": min_accuracy.to_string()}

    def run_dir_in_s3(step: str) -> Join:
        return Join(on="/", values=[f"s3://{aws.bucket}/{aws.prefix}", ExecutionVariables.PIPELINE_EXECUTION_ID, step])

    def command_step(
        step: str,
        after: ProcessingStep | None,
        *,
        arguments: list[Any] | None = None,
        cache: bool = False,
        property_files: list[PropertyFile] | None = None,
    ) -> ProcessingStep:
        """A Processing job running ``STEP_COMMAND step --run-dir RUN_DIR`` on the run folder ``after`` left."""
        inputs = []
        if after is not None:
            # Reading the previous step's output is what orders the steps.
            previous_run_dir = after.properties.ProcessingOutputConfig.Outputs[RUN_OUTPUT].S3Output.S3Uri
            inputs.append(
                ProcessingInput(
                    input_name=RUN_OUTPUT,
                    s3_input=ProcessingS3Input(
                        s3_uri=previous_run_dir, local_path=INPUT_DIR, s3_data_type="S3Prefix", s3_input_mode="File"
                    ),
                )
            )
        processor = Processor(
            role=aws.role_arn,
            image_uri=aws.image_uri,
            instance_count=1,
            instance_type=instance_type,
            entrypoint=["/bin/sh", "-c", COPY_THEN_RUN],
            env=environment,
            base_job_name=f"{PIPELINE_NAME}-{step}",
            sagemaker_session=session,
        )
        output = ProcessingOutput(
            output_name=RUN_OUTPUT,
            s3_output=ProcessingS3Output(s3_uri=run_dir_in_s3(step), local_path=RUN_DIR, s3_upload_mode="EndOfJob"),
        )
        step_args = processor.run(
            inputs=inputs, outputs=[output], arguments=[STEP_COMMAND, step, "--run-dir", RUN_DIR, *(arguments or [])]
        )
        return ProcessingStep(
            name=step,
            step_args=step_args,
            cache_config=CACHE if cache else None,
            retry_policies=[RETRY],
            property_files=property_files,
        )

    ingest = command_step("ingest", None)
    split = command_step("split", ingest, cache=True)
    train = command_step("train", split, arguments=hyper_parameters, cache=True)
    # evaluate writes metrics.json into the run folder; SageMaker reads it back as a property file.
    report = PropertyFile(name="EvaluationReport", output_name=RUN_OUTPUT, path="metrics.json")
    evaluate = command_step("evaluate", train, arguments=hyper_parameters, property_files=[report])
    register = command_step("register", evaluate)

    # The model package points at the evaluated run folder, uncompressed, so the
    # model file is registered as the steps wrote it, with its metrics as the quality report.
    evaluated = evaluate.properties.ProcessingOutputConfig.Outputs[RUN_OUTPUT].S3Output.S3Uri
    model_builder = ModelBuilder(
        s3_model_data_url={
            "S3DataSource": {
                "S3Uri": Join(on="", values=[evaluated, "/"]),
                "S3DataType": "S3Prefix",
                "CompressionType": "None",
            }
        },
        image_uri=aws.image_uri,
        role_arn=aws.role_arn,
        dependencies={},  # nothing to package and upload: the image holds the project
        sagemaker_session=session,
    )
    model_package = ModelStep(
        name="register-model-package",
        step_args=model_builder.register(
            model_package_group_name=project.model_name,
            content_types=["application/json"],
            response_types=["application/json"],
            inference_instances=["ml.m5.large"],
            approval_status="PendingManualApproval",
            model_metrics=ModelMetrics(
                model_statistics=MetricsSource(
                    s3_uri=Join(on="/", values=[evaluated, "metrics.json"]), content_type="application/json"
                )
            ),
        ),
    )

    # evaluate already fails below MIN_ACCURACY (the same parameter); the condition puts
    # the gate and the measured accuracy in the pipeline graph and keeps both
    # registrations behind the evaluation report.
    gate = ConditionStep(
        name="quality-gate",
        conditions=[
            ConditionGreaterThanOrEqualTo(
                left=JsonGet(step_name=evaluate.name, property_file=report, json_path="accuracy"), right=min_accuracy
            )
        ],
        if_steps=[register, model_package],
        else_steps=[],
    )
    return Pipeline(
        name=PIPELINE_NAME,
        parameters=[regularization, max_iter, min_accuracy, instance_type],
        steps=[ingest, split, train, evaluate, gate],
        sagemaker_session=session,
    )


def definition(aws: AwsSettings | None = None) -> dict[str, Any]:
    """The pipeline definition SageMaker receives, as data."""
    parsed: dict[str, Any] = json.loads(build_pipeline(aws).definition())
    return parsed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the SageMaker pipeline definition, or upsert the pipeline.")
    parser.add_argument("--output", type=Path, default=Path("sagemaker-pipeline.json"))
    parser.add_argument(
        "--upsert", action="store_true", help="create or update the pipeline in AWS (needs credentials and a role)"
    )
    args = parser.parse_args(argv)
    aws = AwsSettings.from_env()
    pipeline = build_pipeline(aws)
    args.output.write_text(json.dumps(json.loads(pipeline.definition()), indent=2) + "\n", encoding="utf-8")
    print(args.output)
    if args.upsert:
        description = {{ cookiecutter.description | quoted }}
        response = pipeline.upsert(role_arn=aws.role_arn, description=description)
        print(response["PipelineArn"])


if __name__ == "__main__":
    main()
