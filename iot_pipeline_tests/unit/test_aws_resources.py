"""The aws profile's resources, configured from the environment, without calling AWS."""

import dagster as dg
import pytest

from iot_pipeline.definitions import build_definitions
from iot_pipeline.profiles_aws import aws_resources
from iot_pipeline.resources.glue_catalog import (
    glue_columns,
    partition_values,
    s3_location,
    schema_drift,
)
from iot_pipeline.resources.s3_lake import DEFAULT_CREDENTIALS_PROVIDER, S3Lake
from iot_pipeline.resources.spark_aws import (
    EMRServerlessSparkLauncher,
    GlueSparkLauncher,
    S3ALocalSparkLauncher,
    glue_arguments,
)

JOB_ARGS = [
    "--bootstrap-servers",
    "b:9098",
    "--lake-root",
    "s3a://lake/l",
    "--trigger",
    "available-now",
]


def test_s3_lake_on_aws_and_on_minio():
    aws = S3Lake(bucket="iot", prefix="/lake/")
    assert aws.root_uri() == "s3a://iot/lake"
    assert aws.table_uri("gps_data") == "s3a://iot/lake/gps_data"
    conf = aws.spark_conf()
    assert conf["spark.hadoop.fs.s3a.aws.credentials.provider"] == DEFAULT_CREDENTIALS_PROVIDER
    assert conf["spark.hadoop.fs.s3a.path.style.access"] == "false"
    assert "spark.hadoop.fs.s3a.endpoint" not in conf
    minio = S3Lake(bucket="iot", endpoint_url="http://127.0.0.1:9000").spark_conf()
    assert minio["spark.hadoop.fs.s3a.endpoint"] == "http://127.0.0.1:9000"
    assert minio["spark.hadoop.fs.s3a.path.style.access"] == "true"
    assert minio["spark.hadoop.fs.s3a.connection.ssl.enabled"] == "false"
    assert not any("key" in k.lower() for k in conf | minio)  # never credentials in conf


def test_glue_helpers():
    assert s3_location("s3a://b/lake/t") == "s3://b/lake/t"
    assert partition_values("dt=2026-01-05") == ["2026-01-05"]
    cols = [{"Name": "speed", "Type": "double"}]
    assert schema_drift(cols, cols) == []
    assert schema_drift([{"Name": "Speed", "Type": "DOUBLE"}], cols) == []


def test_glue_columns_are_lower_case_hive_types():
    from iot_contracts import VEHICLE

    names = [c["Name"] for c in glue_columns(VEHICLE.fields)]
    assert "odometerkm" in names and all(n == n.lower() for n in names)


def test_emr_serverless_job_run_parameters():
    launcher = EMRServerlessSparkLauncher(
        application_id="app",
        execution_role_arn="arn:aws:iam::123456789012:role/spark",
        entry_point="s3://code/iot/stream_to_lake.py",
        py_files="s3://code/iot/jobs.zip",
        jars=["s3://code/iot/jars/spark-sql-kafka.jar"],
        python_archive="s3://code/iot/pyenv.tar.gz",
        spark_conf={"spark.hadoop.fs.s3a.endpoint.region": "eu-west-2"},
        kafka_client_options={"security_protocol": "SASL_SSL", "sasl_mechanism": "AWS_MSK_IAM"},
        log_uri="s3://logs/iot/",
    )
    params = launcher.start_job_run_params(JOB_ARGS)
    driver = params["jobDriver"]["sparkSubmit"]
    assert driver["entryPoint"] == "s3://code/iot/stream_to_lake.py"
    assert driver["entryPointArguments"][: len(JOB_ARGS)] == JOB_ARGS
    assert "kafka.sasl.mechanism=AWS_MSK_IAM" in driver["entryPointArguments"]
    submit = driver["sparkSubmitParameters"]
    assert "--py-files s3://code/iot/jobs.zip" in submit
    assert "--jars s3://code/iot/jars/spark-sql-kafka.jar" in submit
    assert "spark.archives=s3://code/iot/pyenv.tar.gz#environment" in submit
    monitoring = params["configurationOverrides"]["monitoringConfiguration"]
    assert monitoring["s3MonitoringConfiguration"]["logUri"] == "s3://logs/iot/"


def test_glue_job_arguments_are_a_map():
    assert glue_arguments(["--a", "1", "--b", "2"]) == {"--a": "1", "--b": "2"}
    with pytest.raises(ValueError, match="repeat"):
        glue_arguments(["--kafka-option", "a=1", "--kafka-option", "b=2"])
    params = GlueSparkLauncher(job_name="iot", pipes_bucket="p").start_job_run_params(JOB_ARGS)
    assert params == {"JobName": "iot", "Arguments": glue_arguments(JOB_ARGS)}


def _aws_env(monkeypatch, **extra):
    env = {
        "IOT_S3_BUCKET": "iot-lake",
        "IOT_KAFKA_BOOTSTRAP_SERVERS": "b-1.msk:9098",
        "IOT_REDSHIFT_IAM_ROLE_ARN": "arn:aws:iam::123456789012:role/spectrum",
        "IOT_REDSHIFT_WORKGROUP": "iot",
        **extra,
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)


def test_profile_picks_the_spark_runner(monkeypatch):
    _aws_env(monkeypatch)
    assert isinstance(aws_resources()["spark"], S3ALocalSparkLauncher)
    _aws_env(
        monkeypatch,
        IOT_SPARK_RUNNER="emr-serverless",
        IOT_EMR_APPLICATION_ID="app",
        IOT_EMR_EXECUTION_ROLE_ARN="arn:aws:iam::123456789012:role/spark",
        IOT_SPARK_ENTRY_POINT="s3://c/stream_to_lake.py",
        IOT_SPARK_PY_FILES="s3://c/jobs.zip",
    )
    assert isinstance(aws_resources()["spark"], EMRServerlessSparkLauncher)
    _aws_env(monkeypatch, IOT_SPARK_RUNNER="glue", IOT_GLUE_JOB_NAME="iot", IOT_PIPES_BUCKET="p")
    assert isinstance(aws_resources()["spark"], GlueSparkLauncher)
    _aws_env(monkeypatch, IOT_SPARK_RUNNER="yarn")
    with pytest.raises(ValueError, match="IOT_SPARK_RUNNER"):
        aws_resources()


def test_kafka_secrets_stay_env_vars(monkeypatch):
    _aws_env(
        monkeypatch,
        IOT_KAFKA_SECURITY_PROTOCOL="SASL_SSL",
        IOT_KAFKA_SASL_MECHANISM="SCRAM-SHA-512",
        IOT_KAFKA_SASL_USERNAME="iot",
        IOT_KAFKA_SASL_PASSWORD="s3cret",
    )
    resources = aws_resources()
    options = resources["kafka"].client_options
    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_plain_password"] == dg.EnvVar("IOT_KAFKA_SASL_PASSWORD")
    assert resources["spark"].kafka_client_options == options
    assert "s3cret" not in repr(resources)


def test_build_definitions_aws_loads_without_any_aws_settings(monkeypatch):
    for var in ("IOT_S3_BUCKET", "IOT_REDSHIFT_IAM_ROLE_ARN", "IOT_KAFKA_BOOTSTRAP_SERVERS"):
        monkeypatch.delenv(var, raising=False)
    defs = build_definitions("aws")
    dg.Definitions.validate_loadable(defs)
    assert set(defs.resources) >= {
        "kafka", "lake_storage", "spark", "catalog", "query_engine", "warehouse"
    }  # fmt: skip
