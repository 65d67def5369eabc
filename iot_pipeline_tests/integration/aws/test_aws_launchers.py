"""The cluster launchers' requests are accepted by the AWS APIs' models (moto validates the shapes)."""

import json

import boto3
import pytest

from iot_pipeline.resources.spark_aws import EMRServerlessSparkLauncher, GlueSparkLauncher

pytestmark = pytest.mark.integration

JOB_ARGS = ["--bootstrap-servers", "b:9098", "--lake-root", "s3a://iot/lake"]
KAFKA = {"security_protocol": "SASL_SSL", "sasl_mechanism": "AWS_MSK_IAM"}


def test_emr_serverless_accepts_the_job_run(aws_env):
    emr = boto3.client("emr-serverless")
    app = emr.create_application(name="iot", releaseLabel="emr-7.9.0", type="SPARK")
    launcher = EMRServerlessSparkLauncher(
        application_id=app["applicationId"],
        execution_role_arn="arn:aws:iam::123456789012:role/iot-spark",
        entry_point="s3://iot-code/jobs/stream_to_lake.py",
        py_files="s3://iot-code/jobs/iot_jobs.zip",
        kafka_client_options=KAFKA,
    )
    run = emr.start_job_run(**launcher.start_job_run_params(JOB_ARGS))
    got = emr.get_job_run(applicationId=app["applicationId"], jobRunId=run["jobRunId"])["jobRun"]
    driver = got["jobDriver"]["sparkSubmit"]
    assert driver["entryPoint"] == "s3://iot-code/jobs/stream_to_lake.py"
    assert "kafka.sasl.mechanism=AWS_MSK_IAM" in driver["entryPointArguments"]


def test_glue_accepts_the_job_run(aws_env):
    glue = boto3.client("glue")
    glue.create_job(
        Name="iot-stream",
        Role="arn:aws:iam::123456789012:role/iot-spark",
        Command={"Name": "glueetl", "ScriptLocation": "s3://iot-code/jobs/stream_to_lake.py"},
    )
    launcher = GlueSparkLauncher(
        job_name="iot-stream", pipes_bucket="iot-pipes", kafka_client_options=KAFKA
    )
    # Several Kafka options travel as one --kafka-options-json: Glue's map cannot repeat a flag.
    secured = launcher.start_job_run_params(JOB_ARGS)["Arguments"]
    options = json.loads(secured["--kafka-options-json"])
    assert options["kafka.security.protocol"] == KAFKA["security_protocol"]
    assert len(options) >= 2
    glue.start_job_run(**launcher.start_job_run_params(JOB_ARGS))
    single = GlueSparkLauncher(job_name="iot-stream", pipes_bucket="iot-pipes")
    run = glue.start_job_run(**single.start_job_run_params(JOB_ARGS))
    got = glue.get_job_run(JobName="iot-stream", RunId=run["JobRunId"])["JobRun"]
    assert got["Arguments"]["--lake-root"] == "s3a://iot/lake"
