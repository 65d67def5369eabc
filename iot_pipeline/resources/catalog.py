"""The catalog: table definitions over the lake (Glue Data Catalog on AWS, DuckDB locally)."""

from __future__ import annotations

import dagster as dg
from pydantic import Field as PydanticField

from iot_contracts import Field, lake
from iot_contracts.types import duckdb_type
from iot_pipeline.resources.duckdb_local import connect, fetch_dicts, quote_ident, quote_literal


class Catalog(dg.ConfigurableResource):
    """Base: registers a lake table's schema, location and partitions under one catalog database."""

    database: str = PydanticField(
        default="iot_catalog", description="Glue database / DuckDB schema"
    )

    def register_table(
        self, table: str, fields: tuple[Field, ...], location: str, partitions: list[str]
    ) -> dict:
        """Create or update the table; return metadata (columns, partitions, rows where cheap)."""
        raise NotImplementedError

    @property
    def kind(self) -> str:
        raise NotImplementedError


class DuckDBCatalog(Catalog):
    """Catalog tables as DuckDB views over the lake's hive-partitioned Parquet (profile `local`)."""

    path: str = PydanticField(default=".iot/warehouse.duckdb", description="DuckDB database file")

    @property
    def kind(self) -> str:
        return "duckdb"

    def register_table(
        self, table: str, fields: tuple[Field, ...], location: str, partitions: list[str]
    ) -> dict:
        schema, name = quote_ident(self.database), quote_ident(table)
        columns = [quote_ident(f.name) for f in fields] + [quote_ident(lake.PARTITION_COLUMN)]
        if partitions:
            # Like a Glue table: the location's partition folders, whatever lands there later.
            source = (
                f"read_parquet({quote_literal(location.rstrip('/') + '/*=*/*.parquet')}, "
                "hive_partitioning = true, union_by_name = true)"
            )
            body = f"SELECT {', '.join(columns)} FROM {source}"
        else:
            # Nothing landed yet: an empty relation with the contract's types, so queries still run.
            typed = [f"CAST(NULL AS {duckdb_type(f)}) AS {quote_ident(f.name)}" for f in fields]
            typed.append(f"CAST(NULL AS VARCHAR) AS {quote_ident(lake.PARTITION_COLUMN)}")
            body = f"SELECT {', '.join(typed)} WHERE false"
        with connect(self.path) as con:
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            con.execute(f"CREATE OR REPLACE VIEW {schema}.{name} AS {body}")
            rows = con.execute(f"SELECT count(*) FROM {schema}.{name}").fetchone()[0]
            described = fetch_dicts(con, f"DESCRIBE {schema}.{name}")
        return {
            "table": f"{self.database}.{table}",
            "location": location,
            "partitions": len(partitions),
            "rows": rows,
            "columns": len(described),
        }
