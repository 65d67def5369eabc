"""The warehouse's window on the lake: a Redshift external schema on AWS, a DuckDB schema locally."""

from __future__ import annotations

import dagster as dg
from pydantic import Field

from iot_pipeline.resources.duckdb_local import connect, fetch_dicts, quote_ident


class Warehouse(dg.ConfigurableResource):
    """Base: exposes the catalog database's tables in the warehouse under one schema."""

    schema_name: str = Field(default="iot_lake", description="External schema name")

    @property
    def kind(self) -> str:
        raise NotImplementedError

    def ensure_external_schema(self, catalog_database: str, tables: list[str]) -> list[str]:
        """Create the schema if needed; return the tables the warehouse can see through it."""
        raise NotImplementedError


class DuckDBWarehouse(Warehouse):
    """A DuckDB schema of views onto the catalog tables, playing Redshift Spectrum (profile `local`)."""

    path: str = Field(default=".iot/warehouse.duckdb", description="DuckDB database file")

    @property
    def kind(self) -> str:
        return "duckdb"

    def ensure_external_schema(self, catalog_database: str, tables: list[str]) -> list[str]:
        schema = quote_ident(self.schema_name)
        with connect(self.path) as con:
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            for table in tables:
                con.execute(
                    f"CREATE OR REPLACE VIEW {schema}.{quote_ident(table)} AS "
                    f"SELECT * FROM {quote_ident(catalog_database)}.{quote_ident(table)}"
                )
            # The local stand-in for Redshift's svv_external_tables.
            found = fetch_dicts(
                con,
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ? "
                "ORDER BY table_name",
                [self.schema_name],
            )
        return [row["table_name"] for row in found]
