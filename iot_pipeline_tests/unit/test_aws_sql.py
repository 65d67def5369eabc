"""Every statement the aws profile sends: Athena's in the trino dialect, Redshift's in redshift."""

import re

import pytest
import sqlglot
from sqlglot import exp

from iot_pipeline.resources.athena import view_ddl
from iot_pipeline.resources.redshift import RedshiftWarehouse, external_schema_sql
from iot_pipeline.serving.views import view_names, view_sql

ROLE = "arn:aws:iam::123456789012:role/iot-spectrum"


@pytest.mark.parametrize("name", view_names())
def test_athena_view_ddl_parses_in_trino(name):
    parsed = sqlglot.parse_one(
        view_ddl("iot_serving", name, view_sql(name, "iot_catalog")), read="trino"
    )
    assert isinstance(parsed, exp.Create) and parsed.kind == "VIEW" and parsed.args["replace"]
    assert parsed.this.sql() == f"iot_serving.{name}"


def test_athena_ddl_rejects_odd_identifiers():
    with pytest.raises(ValueError):
        view_ddl("iot_serving", "x; DROP TABLE y", "SELECT 1")


def test_redshift_statements_parse_in_the_redshift_dialect():
    create, verify = RedshiftWarehouse(iam_role_arn=ROLE, workgroup_name="iot").statements(
        "iot_catalog"
    )
    select = sqlglot.parse_one(verify, read="redshift")
    assert isinstance(select, exp.Select)
    assert select.find(exp.Table).name == "svv_external_tables"
    # sqlglot 30 has no grammar for CREATE EXTERNAL SCHEMA: it parses as an opaque Command, so the
    # statement's shape is checked against Redshift's documented grammar here as well.
    parsed = sqlglot.parse_one(create, read="redshift")
    assert isinstance(parsed, exp.Command) and parsed.this == "CREATE"
    assert re.fullmatch(
        r"CREATE EXTERNAL SCHEMA IF NOT EXISTS [a-z_][a-z0-9_]* "
        r"FROM DATA CATALOG DATABASE '[a-z_][a-z0-9_]*' "
        r"IAM_ROLE 'arn:aws:iam::\d{12}:role/[\w+=,.@-]+' REGION '[a-z]{2}-[a-z]+-\d'",
        create,
    ), create


def test_redshift_literals_are_escaped_and_identifiers_checked():
    assert "'it''s'" in external_schema_sql("iot_lake", "it's", ROLE, "eu-west-2")
    with pytest.raises(ValueError):
        external_schema_sql("iot lake", "iot_catalog", ROLE, "eu-west-2")
