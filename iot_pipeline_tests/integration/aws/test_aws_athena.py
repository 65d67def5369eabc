"""AthenaQueryEngine against moto's Athena: the view SQL goes out exactly as written."""

import boto3
import pytest
import requests
from dagster_aws.athena import AthenaClientResource

from iot_pipeline.resources.athena import AthenaQueryEngine
from iot_pipeline.serving.views import view_names, view_sql

pytestmark = pytest.mark.integration


def _engine() -> AthenaQueryEngine:
    return AthenaQueryEngine(
        athena=AthenaClientResource(workgroup="iot"),
        output_location="s3://iot-athena-results/queries/",
        poll_interval_s=0.05,
    )


def _issued() -> list[dict]:
    athena = boto3.client("athena")
    ids = athena.list_query_executions(WorkGroup="iot")["QueryExecutionIds"]
    found = [athena.get_query_execution(QueryExecutionId=i)["QueryExecution"] for i in ids]
    return sorted(found, key=lambda q: q["Status"]["SubmissionDateTime"])


def test_views_are_created_from_the_unchanged_sql(aws_env):
    boto3.client("athena").create_work_group(Name="iot")
    engine = _engine()
    for name in view_names():
        info = engine.create_view(name, view_sql(name, "iot_catalog"))
        assert info["view"] == f"iot_serving.{name}"
    queries = _issued()
    ddl = [q["Query"] for q in queries if q["Query"].startswith("CREATE OR REPLACE VIEW")]
    assert len(ddl) == len(view_names())
    for name, sql in zip(view_names(), ddl, strict=True):
        assert (
            sql
            == f"CREATE OR REPLACE VIEW iot_serving.{name} AS\n"
            + view_sql(name, "iot_catalog").strip()
        )
    assert all(q["WorkGroup"] == "iot" for q in queries)
    for q in queries:  # Athena names each result file after its query id
        assert q["ResultConfiguration"]["OutputLocation"].startswith(
            "s3://iot-athena-results/queries/"
        )


def test_query_returns_dicts_from_athena_results(aws_env):
    boto3.client("athena").create_work_group(Name="iot")
    rows = [
        {"Data": [{"VarCharValue": "device_id"}, {"VarCharValue": "distance_km"}]},
        {"Data": [{"VarCharValue": "vehicle-0"}, {"VarCharValue": "12.5"}]},
    ]
    requests.post(
        f"{aws_env}/moto-api/static/athena/query-results",
        json={"account_id": "123456789012", "region": "eu-west-2", "results": [{"rows": rows}]},
        timeout=10,
    )
    got = _engine().query("SELECT device_id, distance_km FROM iot_serving.journey_summary")
    assert got == [{"device_id": "vehicle-0", "distance_km": "12.5"}]
