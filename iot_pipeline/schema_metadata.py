"""Column schemas for the Dagster UI, derived from the record contracts."""

from __future__ import annotations

import dagster as dg

from iot_contracts import Field
from iot_contracts.types import hive_type


def table_schema(fields: tuple[Field, ...], partition_column: str | None = None) -> dg.TableSchema:
    columns = [
        dg.TableColumn(
            name=f.name,
            type=hive_type(f),
            description=f.description or None,
            constraints=dg.TableColumnConstraints(nullable=not f.required),
        )
        for f in fields
    ]
    if partition_column:
        columns.append(
            dg.TableColumn(partition_column, "string", description="Partition: event date")
        )
    return dg.TableSchema(columns=columns)


def column_schema_metadata(fields: tuple[Field, ...], partition_column: str | None = None) -> dict:
    return {"dagster/column_schema": table_schema(fields, partition_column)}
