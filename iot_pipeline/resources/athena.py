"""Athena runs the view SQL exactly as written (Trino dialect), through dagster-aws' Athena client."""

from __future__ import annotations

import re
import time
from typing import Any

from dagster_aws.athena import AthenaClientResource
from pydantic import Field

from iot_pipeline.resources.query import QueryEngine

_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


def view_ddl(database: str, name: str, trino_select: str) -> str:
    for ident in (database, name):
        if not _IDENT.match(ident):
            raise ValueError(f"not a plain lower-case identifier: {ident!r}")
    return f"CREATE OR REPLACE VIEW {database}.{name} AS\n{trino_select.strip()}"


class AthenaError(RuntimeError):
    pass


class AthenaQueryEngine(QueryEngine):
    """Creates the serving views in Athena and runs queries there (profile `aws`)."""

    athena: AthenaClientResource = Field(
        description="dagster-aws Athena client (workgroup, polling)"
    )
    output_location: str | None = Field(
        default=None,
        description="s3:// prefix for query results; None: the workgroup's configured location",
    )
    poll_interval_s: float = Field(default=0.5, description="Seconds between status polls")
    timeout_s: float = Field(default=300.0, description="Give up on a query after this long")

    @property
    def kind(self) -> str:
        return "athena"

    def boto_client(self) -> Any:
        # AthenaClient.execute_query sends no ResultConfiguration, so start queries on its boto3
        # client ourselves: the output location stays configurable without a workgroup override.
        return self.athena.get_client().client

    def execute(self, sql: str, client: Any | None = None) -> str:
        """Run one statement to completion; returns the query execution id."""
        client = client or self.boto_client()
        params: dict[str, Any] = {"QueryString": sql, "WorkGroup": self.athena.workgroup}
        if self.output_location:
            params["ResultConfiguration"] = {"OutputLocation": self.output_location}
        query_id = client.start_query_execution(**params)["QueryExecutionId"]
        deadline = time.monotonic() + self.timeout_s
        while True:
            status = client.get_query_execution(QueryExecutionId=query_id)["QueryExecution"][
                "Status"
            ]
            if status["State"] == "SUCCEEDED":
                return query_id
            if status["State"] in ("FAILED", "CANCELLED"):
                raise AthenaError(f"{status['State']}: {status.get('StateChangeReason')}\n{sql}")
            if time.monotonic() > deadline:
                client.stop_query_execution(QueryExecutionId=query_id)
                raise AthenaError(f"timed out after {self.timeout_s}s\n{sql}")
            time.sleep(self.poll_interval_s)

    def create_view(self, name: str, trino_select: str) -> dict:
        client = self.boto_client()
        # Views live in their own Glue database, beside (not inside) the catalog tables.
        self.execute(f"CREATE SCHEMA IF NOT EXISTS {self.views_database}", client)
        query_id = self.execute(view_ddl(self.views_database, name, trino_select), client)
        return {"view": f"{self.views_database}.{name}", "query_execution_id": query_id}

    def query(self, trino_sql: str) -> list[dict]:
        client = self.boto_client()
        query_id = self.execute(trino_sql, client)
        rows: list[list[str | None]] = []
        for page in client.get_paginator("get_query_results").paginate(QueryExecutionId=query_id):
            rows += [[d.get("VarCharValue") for d in r["Data"]] for r in page["ResultSet"]["Rows"]]
        if not rows:
            return []
        header, *body = rows  # Athena returns the column names as the first row of a SELECT
        return [dict(zip(header, row, strict=False)) for row in body]
