"""Redshift Spectrum's window on the lake: an external schema over the Glue catalog database."""

from __future__ import annotations

import re
import time
from typing import Any, Literal

from dagster_aws.redshift import RedshiftClientResource
from pydantic import Field

from iot_pipeline.resources.warehouse import Warehouse

_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"not a plain lower-case identifier: {name!r}")
    return name


def external_schema_sql(schema: str, catalog_database: str, iam_role_arn: str, region: str) -> str:
    return (
        f"CREATE EXTERNAL SCHEMA IF NOT EXISTS {_ident(schema)} "
        f"FROM DATA CATALOG DATABASE {_literal(catalog_database)} "
        f"IAM_ROLE {_literal(iam_role_arn)} REGION {_literal(region)}"
    )


def external_tables_sql(schema: str) -> str:
    return (
        "SELECT tablename FROM svv_external_tables "
        f"WHERE schemaname = {_literal(_ident(schema))} ORDER BY tablename"
    )


def _cell(cell: dict[str, Any]) -> Any:
    # A Data API field is {"stringValue": ...}, {"longValue": ...}, ... or {"isNull": true}.
    return None if cell.get("isNull") else next(iter(cell.values()), None)


class RedshiftError(RuntimeError):
    pass


class RedshiftWarehouse(Warehouse):
    """Creates the external schema (idempotently) and lists what Spectrum sees through it (profile `aws`)."""

    iam_role_arn: str = Field(
        description="Role Redshift assumes to read Glue and S3 (Spectrum role)"
    )
    region: str = Field(default="eu-west-2", description="Region of the Glue catalog")
    connection: Literal["data_api", "cluster"] = Field(
        default="data_api",
        description="data_api: Redshift Data API (Serverless workgroup or cluster id); "
        "cluster: a SQL connection through dagster-aws RedshiftClientResource",
    )
    redshift: RedshiftClientResource | None = Field(
        default=None, description="Host, user and password (EnvVar) for connection=cluster"
    )
    workgroup_name: str | None = Field(default=None, description="Redshift Serverless workgroup")
    cluster_identifier: str | None = Field(default=None, description="Provisioned cluster id")
    database: str = Field(default="dev", description="Database the Data API connects to")
    secret_arn: str | None = Field(
        default=None, description="Secrets Manager secret with the DB credentials (Data API)"
    )
    db_user: str | None = Field(default=None, description="Temporary-credentials user (cluster id)")
    poll_interval_s: float = Field(default=0.5)
    timeout_s: float = Field(default=120.0)

    @property
    def kind(self) -> str:
        return "redshift"

    def statements(self, catalog_database: str) -> list[str]:
        return [
            external_schema_sql(self.schema_name, catalog_database, self.iam_role_arn, self.region),
            external_tables_sql(self.schema_name),
        ]

    def ensure_external_schema(self, catalog_database: str, tables: list[str]) -> list[str]:
        create, verify = self.statements(catalog_database)
        if self.connection == "cluster":
            if self.redshift is None:
                raise ValueError(
                    "connection=cluster needs the redshift (RedshiftClientResource) setting"
                )
            client = self.redshift.get_client()
            client.execute_query(create)
            rows = client.execute_query(verify, fetch_results=True) or []
        else:
            self.run_data_api(create)
            rows = self.run_data_api(verify, fetch=True)
        return [str(row[0]) for row in rows]

    def data_api_client(self) -> Any:
        import boto3

        return boto3.client("redshift-data", region_name=self.region)

    def _target(self) -> dict[str, str]:
        if bool(self.workgroup_name) == bool(self.cluster_identifier):
            raise ValueError("set exactly one of workgroup_name (Serverless) or cluster_identifier")
        target = {"Database": self.database}
        if self.workgroup_name:
            target["WorkgroupName"] = self.workgroup_name
        else:
            target["ClusterIdentifier"] = self.cluster_identifier or ""
        if self.secret_arn:
            target["SecretArn"] = self.secret_arn
        elif self.db_user:
            target["DbUser"] = self.db_user
        return target

    def run_data_api(self, sql: str, fetch: bool = False) -> list[list[Any]]:
        """One statement through the Data API, waited for; rows as lists when fetch is set."""
        client = self.data_api_client()
        statement_id = client.execute_statement(Sql=sql, **self._target())["Id"]
        deadline = time.monotonic() + self.timeout_s
        while True:
            described = client.describe_statement(Id=statement_id)
            if described["Status"] == "FINISHED":
                break
            if described["Status"] in ("FAILED", "ABORTED"):
                raise RedshiftError(f"{described['Status']}: {described.get('Error')}\n{sql}")
            if time.monotonic() > deadline:
                client.cancel_statement(Id=statement_id)
                raise RedshiftError(f"timed out after {self.timeout_s}s\n{sql}")
            time.sleep(self.poll_interval_s)
        if not fetch:
            return []
        rows: list[list[Any]] = []
        for page in client.get_paginator("get_statement_result").paginate(Id=statement_id):
            rows += [[_cell(cell) for cell in r] for r in page["Records"]]
        return rows
