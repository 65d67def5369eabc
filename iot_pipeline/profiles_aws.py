"""The `aws` profile: S3 lake, Glue catalog, Athena views, Redshift external schema, Spark here or on a cluster.

Everything comes from environment variables (documented in docs/aws.md). Required values and secrets
are `dg.EnvVar`s, resolved only when a run starts, so no value (and never a key) sits in config files
or in the Dagster UI. AWS credentials come from the default chain (role, profile, env), not from here.
"""

from __future__ import annotations

import os
from typing import Any

import dagster as dg
from dagster_aws.athena import AthenaClientResource

from iot_pipeline.resources.athena import AthenaQueryEngine
from iot_pipeline.resources.glue_catalog import GlueCatalog
from iot_pipeline.resources.kafka import KafkaResource
from iot_pipeline.resources.redshift import RedshiftWarehouse
from iot_pipeline.resources.s3_lake import S3Lake
from iot_pipeline.resources.spark import SparkJobLauncher
from iot_pipeline.resources.spark_aws import (
    EMRServerlessSparkLauncher,
    GlueSparkLauncher,
    S3ALocalSparkLauncher,
)

SPARK_RUNNERS = ("local", "emr-serverless", "glue")


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or default


def _required(name: str) -> Any:
    # Known now if set (so derived settings can use it), else resolved (or failed) at run time.
    return _env(name) or dg.EnvVar(name)


def region() -> str:
    return _env("AWS_REGION") or _env("AWS_DEFAULT_REGION") or "eu-west-2"


def kafka_client_options() -> dict[str, Any]:
    """kafka-python security settings; username and password stay EnvVars (secrets)."""
    options: dict[str, Any] = {}
    for key, var in (
        ("security_protocol", "IOT_KAFKA_SECURITY_PROTOCOL"),
        ("sasl_mechanism", "IOT_KAFKA_SASL_MECHANISM"),
        ("ssl_cafile", "IOT_KAFKA_SSL_CAFILE"),
    ):
        if _env(var):
            options[key] = _env(var)
    for key, var in (
        ("sasl_plain_username", "IOT_KAFKA_SASL_USERNAME"),
        ("sasl_plain_password", "IOT_KAFKA_SASL_PASSWORD"),
    ):
        if _env(var):
            options[key] = dg.EnvVar(var)
    return options


def s3_lake() -> S3Lake:
    return S3Lake(
        bucket=_required("IOT_S3_BUCKET"),
        prefix=_env("IOT_S3_PREFIX", "lake"),
        region=region(),
        endpoint_url=_env("IOT_S3_ENDPOINT_URL") or _env("AWS_ENDPOINT_URL_S3"),
    )


def spark_launcher(lake: S3Lake, kafka_options: dict[str, Any]) -> SparkJobLauncher:
    runner = _env("IOT_SPARK_RUNNER", "local")
    if runner == "local":
        return S3ALocalSparkLauncher(conf=lake.spark_conf(), kafka_client_options=kafka_options)
    if runner == "emr-serverless":
        jars = [j.strip() for j in (_env("IOT_SPARK_JARS") or "").split(",") if j.strip()]
        return EMRServerlessSparkLauncher(
            application_id=_required("IOT_EMR_APPLICATION_ID"),
            execution_role_arn=_required("IOT_EMR_EXECUTION_ROLE_ARN"),
            region=region(),
            entry_point=_required("IOT_SPARK_ENTRY_POINT"),
            py_files=_required("IOT_SPARK_PY_FILES"),
            jars=jars,
            python_archive=_env("IOT_SPARK_PYTHON_ARCHIVE"),
            spark_conf=lake.spark_conf(),
            kafka_client_options=kafka_options,
            log_uri=_env("IOT_EMR_LOG_URI"),
        )
    if runner == "glue":
        return GlueSparkLauncher(
            job_name=_required("IOT_GLUE_JOB_NAME"),
            region=region(),
            pipes_bucket=_required("IOT_PIPES_BUCKET"),
            kafka_client_options=kafka_options,
        )
    raise ValueError(f"IOT_SPARK_RUNNER must be one of {', '.join(SPARK_RUNNERS)}, got {runner!r}")


def warehouse() -> RedshiftWarehouse:
    connection = _env("IOT_REDSHIFT_CONNECTION", "data_api")
    settings: dict[str, Any] = {
        "iam_role_arn": _required("IOT_REDSHIFT_IAM_ROLE_ARN"),
        "region": region(),
        "connection": connection,
        "schema_name": _env("IOT_REDSHIFT_SCHEMA", "iot_lake"),
        "database": _env("IOT_REDSHIFT_DATABASE", "dev"),
    }
    if connection == "cluster":
        from dagster_aws.redshift import RedshiftClientResource

        settings["redshift"] = RedshiftClientResource(
            host=_required("IOT_REDSHIFT_HOST"),
            port=int(_env("IOT_REDSHIFT_PORT", "5439") or 5439),
            user=dg.EnvVar("IOT_REDSHIFT_USER"),
            password=dg.EnvVar("IOT_REDSHIFT_PASSWORD"),
            database=_env("IOT_REDSHIFT_DATABASE", "dev"),
            autocommit=True,
        )
    else:
        settings |= {
            "workgroup_name": _env("IOT_REDSHIFT_WORKGROUP"),
            "cluster_identifier": _env("IOT_REDSHIFT_CLUSTER_ID"),
            "secret_arn": _env("IOT_REDSHIFT_SECRET_ARN"),
            "db_user": _env("IOT_REDSHIFT_DB_USER"),
        }
    return RedshiftWarehouse(**settings)


def aws_resources() -> dict[str, Any]:
    """The same resource keys as the local profile, backed by AWS services."""
    lake = s3_lake()
    kafka_options = kafka_client_options()
    catalog_db = _env("IOT_GLUE_DATABASE", "iot_catalog")
    return {
        "kafka": KafkaResource(
            bootstrap_servers=_required("IOT_KAFKA_BOOTSTRAP_SERVERS"),
            replication_factor=int(_env("IOT_KAFKA_REPLICATION_FACTOR", "3") or 3),
            client_options=kafka_options,
        ),
        "lake_storage": lake,
        "spark": spark_launcher(lake, kafka_options),
        "catalog": GlueCatalog(
            database=catalog_db,
            region=region(),
            mode=_env("IOT_GLUE_MODE", "api"),
            crawler_role_arn=_env("IOT_GLUE_CRAWLER_ROLE_ARN"),
        ),
        "query_engine": AthenaQueryEngine(
            athena=AthenaClientResource(workgroup=_env("IOT_ATHENA_WORKGROUP", "primary")),
            output_location=_env("IOT_ATHENA_OUTPUT_LOCATION"),
            views_database=_env("IOT_ATHENA_VIEWS_DATABASE", "iot_serving"),
        ),
        "warehouse": warehouse(),
    }
