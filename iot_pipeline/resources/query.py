"""The query engine serving views over the catalog (Athena on AWS, DuckDB locally).

View SQL is written once, in Athena's (Trino) dialect; the DuckDB engine translates it with sqlglot.
"""

from __future__ import annotations

import dagster as dg
import sqlglot
from pydantic import Field

from iot_pipeline.resources.duckdb_local import connect, fetch_dicts, quote_ident


def to_duckdb(trino_sql: str) -> str:
    return sqlglot.transpile(trino_sql, read="trino", write="duckdb")[0]


class QueryEngine(dg.ConfigurableResource):
    """Base: creates views and runs queries written in Athena's (Trino) SQL."""

    views_database: str = Field(default="iot_serving", description="Where views are created")

    @property
    def kind(self) -> str:
        raise NotImplementedError

    def create_view(self, name: str, trino_select: str) -> dict:
        raise NotImplementedError

    def query(self, trino_sql: str) -> list[dict]:
        raise NotImplementedError


class DuckDBQueryEngine(QueryEngine):
    """Runs the Athena SQL on the local DuckDB file after translating it (profile `local`)."""

    path: str = Field(default=".iot/warehouse.duckdb", description="DuckDB database file")

    @property
    def kind(self) -> str:
        return "duckdb"

    def create_view(self, name: str, trino_select: str) -> dict:
        schema = quote_ident(self.views_database)
        sql = to_duckdb(trino_select)
        with connect(self.path) as con:
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            con.execute(f"CREATE OR REPLACE VIEW {schema}.{quote_ident(name)} AS {sql}")
            rows = con.execute(f"SELECT count(*) FROM {schema}.{quote_ident(name)}").fetchone()[0]
        return {"view": f"{self.views_database}.{name}", "rows": rows, "engine_sql": sql}

    def query(self, trino_sql: str) -> list[dict]:
        with connect(self.path) as con:
            return fetch_dicts(con, to_duckdb(trino_sql))
