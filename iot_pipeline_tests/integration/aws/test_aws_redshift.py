"""RedshiftWarehouse: the external schema statement through the Data API (moto) or a SQL connection."""

import pytest

from iot_pipeline.resources.redshift import RedshiftWarehouse

pytestmark = pytest.mark.integration

ROLE = "arn:aws:iam::123456789012:role/iot-spectrum"
CREATE = (
    "CREATE EXTERNAL SCHEMA IF NOT EXISTS iot_lake FROM DATA CATALOG DATABASE 'iot_catalog' "
    f"IAM_ROLE '{ROLE}' REGION 'eu-west-2'"
)
VERIFY = (
    "SELECT tablename FROM svv_external_tables WHERE schemaname = 'iot_lake' ORDER BY tablename"
)


def test_data_api_issues_create_then_verifies(aws_env, redshift_spectrum_stand_in):
    import boto3

    glue = boto3.client("glue")
    glue.create_database(DatabaseInput={"Name": "iot_catalog"})
    for t in ("gps_data", "vehicle_data"):
        glue.create_table(DatabaseName="iot_catalog", TableInput={"Name": t})
    warehouse = RedshiftWarehouse(
        iam_role_arn=ROLE, workgroup_name="iot", secret_arn="arn:secret", poll_interval_s=0.05
    )
    assert warehouse.ensure_external_schema("iot_catalog", ["gps_data", "vehicle_data"]) == [
        "gps_data",
        "vehicle_data",
    ]
    # Idempotent: running again issues the same IF NOT EXISTS statement and sees the same tables.
    warehouse.ensure_external_schema("iot_catalog", [])
    assert redshift_spectrum_stand_in() == [CREATE, VERIFY, CREATE, VERIFY]


def test_data_api_needs_exactly_one_target():
    with pytest.raises(ValueError, match="exactly one"):
        RedshiftWarehouse(iam_role_arn=ROLE)._target()


def test_cluster_connection_goes_through_redshift_client_resource(monkeypatch):
    from dagster_aws.redshift import RedshiftClientResource

    issued = []

    class Client:
        def execute_query(self, query, fetch_results=False, **_):
            issued.append(query)
            return [("vehicle_data",)] if fetch_results else None

    monkeypatch.setattr(RedshiftClientResource, "get_client", lambda self: Client())
    warehouse = RedshiftWarehouse(
        iam_role_arn=ROLE,
        connection="cluster",
        redshift=RedshiftClientResource(host="example.invalid", user="u", password="p"),
    )
    assert warehouse.ensure_external_schema("iot_catalog", ["vehicle_data"]) == ["vehicle_data"]
    assert issued == [CREATE, VERIFY]
