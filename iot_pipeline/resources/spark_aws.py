"""The streaming job on the aws profile: spark-submit here with S3A, or the same script on EMR Serverless / Glue."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import dagster as dg
from pydantic import Field

from iot_pipeline import paths
from iot_pipeline.resources.kafka_security import kafka_option_args, spark_kafka_options
from iot_pipeline.resources.spark import LocalSparkLauncher, SparkJobLauncher

_KAFKA_HELP = (
    "The KafkaResource's kafka-python client_options (secrets as EnvVar); translated for Spark "
    "at launch, so the secret is resolved only when the job starts"
)


def _kafka_args(client_options: dict[str, str]) -> list[str]:
    return kafka_option_args(spark_kafka_options(client_options))


class S3ALocalSparkLauncher(LocalSparkLauncher):
    """spark-submit on this machine into an s3a:// lake: adds the S3A jars and Kafka security options."""

    kafka_client_options: dict[str, str] = Field(default_factory=dict, description=_KAFKA_HELP)

    def command(self, job_args: Sequence[str]) -> list[str]:
        from spark_jobs.submit import spark_submit_command

        conf = {"spark.driver.memory": self.driver_memory, **self.conf}
        return spark_submit_command(
            [*job_args, *_kafka_args(self.kafka_client_options)],
            jars=[*paths.jars("spark"), *paths.jars("spark-aws")],
            master=self.master,
            conf=conf,
        )


def _no_spaces(conf: dict[str, str]) -> None:
    bad = [k for k, v in conf.items() if any(c.isspace() for c in f"{k}{v}")]
    if bad:
        raise ValueError(f"spark conf cannot carry whitespace in sparkSubmitParameters: {bad}")


class EMRServerlessSparkLauncher(SparkJobLauncher):
    """spark_jobs/stream_to_lake.py as an EMR Serverless job run, reporting back through dagster-aws Pipes."""

    application_id: str = Field(description="EMR Serverless application (Spark, release 7.x)")
    execution_role_arn: str = Field(description="Job runtime role (see iam/spark-job-role.json)")
    region: str = Field(default="eu-west-2")
    entry_point: str = Field(description="s3:// path of stream_to_lake.py")
    py_files: str = Field(description="s3:// zip of the iot_contracts and spark_jobs packages")
    jars: list[str] = Field(default_factory=list, description="s3:// jars, e.g. spark-sql-kafka")
    python_archive: str | None = Field(
        default=None,
        description="s3:// venv archive (with dagster-pipes) unpacked as ./environment",
    )
    spark_conf: dict[str, str] = Field(default_factory=dict, description="Extra --conf settings")
    kafka_client_options: dict[str, str] = Field(default_factory=dict, description=_KAFKA_HELP)
    log_uri: str | None = Field(default=None, description="s3:// prefix for driver logs")
    name: str = Field(default="iot-stream-to-lake")

    def start_job_run_params(self, job_args: Sequence[str]) -> dict[str, Any]:
        conf = dict(self.spark_conf)
        if self.python_archive:
            python = "./environment/bin/python"
            conf |= {
                "spark.archives": f"{self.python_archive}#environment",
                "spark.emr-serverless.driverEnv.PYSPARK_DRIVER_PYTHON": python,
                "spark.emr-serverless.driverEnv.PYSPARK_PYTHON": python,
                "spark.executorEnv.PYSPARK_PYTHON": python,
            }
        _no_spaces(conf)
        params = [f"--conf {k}={v}" for k, v in conf.items()] + [f"--py-files {self.py_files}"]
        if self.jars:
            params.append(f"--jars {','.join(self.jars)}")
        monitoring: dict[str, Any] = {"cloudWatchLoggingConfiguration": {"enabled": True}}
        if self.log_uri:
            monitoring["s3MonitoringConfiguration"] = {"logUri": self.log_uri}
        return {
            "applicationId": self.application_id,
            "executionRoleArn": self.execution_role_arn,
            "name": self.name,
            "jobDriver": {
                "sparkSubmit": {
                    "entryPoint": self.entry_point,
                    # Arguments travel as a list, so JAAS lines with spaces stay one argument.
                    "entryPointArguments": [
                        *job_args,
                        *_kafka_args(self.kafka_client_options),
                    ],
                    "sparkSubmitParameters": " ".join(params),
                }
            },
            # Pipes reads the job's messages from CloudWatch Logs by default.
            "configurationOverrides": {"monitoringConfiguration": monitoring},
        }

    def run(
        self, context: dg.AssetExecutionContext, job_args: Sequence[str]
    ) -> dg.PipesClientCompletedInvocation:
        import boto3
        from dagster_aws.pipes import PipesEMRServerlessClient

        client = PipesEMRServerlessClient(
            client=boto3.client("emr-serverless", region_name=self.region)
        )
        return client.run(context=context, start_job_run_params=self.start_job_run_params(job_args))


def glue_arguments(job_args: Sequence[str]) -> dict[str, str]:
    """`--flag value` pairs -> Glue's Arguments map; a map cannot repeat a flag, so that fails loudly."""
    args: dict[str, str] = {}
    items = list(job_args)
    for i in range(0, len(items), 2):
        flag, value = items[i], items[i + 1] if i + 1 < len(items) else ""
        if not flag.startswith("--"):
            raise ValueError(f"expected --flag value pairs, got {flag!r}")
        if flag in args:
            raise ValueError(f"Glue job arguments cannot repeat {flag}")
        args[flag] = value
    return args


class GlueSparkLauncher(SparkJobLauncher):
    """stream_to_lake.py as an AWS Glue (Spark) job run, through dagster-aws PipesGlueClient."""

    job_name: str = Field(description="Glue job whose script is stream_to_lake.py")
    region: str = Field(default="eu-west-2")
    default_arguments: dict[str, str] = Field(
        default_factory=dict, description="Extra Glue arguments, e.g. --extra-py-files"
    )
    kafka_client_options: dict[str, str] = Field(default_factory=dict, description=_KAFKA_HELP)
    pipes_bucket: str = Field(
        description="S3 bucket where Pipes leaves the run's context for the job"
    )

    def start_job_run_params(self, job_args: Sequence[str]) -> dict[str, Any]:
        arguments = {**self.default_arguments, **glue_arguments(job_args)}
        if self.kafka_client_options:
            # Glue's Arguments map cannot repeat --kafka-option: all options travel as one JSON.
            options = spark_kafka_options(self.kafka_client_options)
            arguments["--kafka-options-json"] = json.dumps(options, sort_keys=True)
        return {"JobName": self.job_name, "Arguments": arguments}

    def run(
        self, context: dg.AssetExecutionContext, job_args: Sequence[str]
    ) -> dg.PipesClientCompletedInvocation:
        import boto3
        from dagster_aws.pipes import PipesGlueClient, PipesS3ContextInjector

        client = PipesGlueClient(
            client=boto3.client("glue", region_name=self.region),
            context_injector=PipesS3ContextInjector(
                bucket=self.pipes_bucket, client=boto3.client("s3", region_name=self.region)
            ),
        )
        return client.run(context=context, start_job_run_params=self.start_job_run_params(job_args))
