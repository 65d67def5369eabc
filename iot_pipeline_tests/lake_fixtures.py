"""Write small lake tables with pyarrow, in the layout the streaming job produces (for fast tests)."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from iot_contracts import FieldType, RecordContract, lake
from iot_contracts.types import arrow_schema

START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def valid_row(contract: RecordContract, i: int, **overrides: Any) -> dict[str, Any]:
    """A contract-conformant lake row, derived from the field types (never retyped here)."""
    row: dict[str, Any] = {}
    for field in lake.lake_fields(contract):
        row[field.name] = {
            FieldType.STRING: f"{field.name}-{i}",
            FieldType.INT: 1,
            FieldType.LONG: i,
            FieldType.DOUBLE: 50.0,
            FieldType.BOOLEAN: True,
            FieldType.TIMESTAMP: START + timedelta(seconds=i),
            FieldType.LOCATION: {"latitude": 51.9, "longitude": -1.0},
        }[field.type]
    row["id"] = f"{contract.name}-{i}"
    row["schemaVersion"] = contract.version
    if "direction" in row:
        row["direction"] = 315.0
    row.update(overrides)
    return row


def write_table(
    root: Path, contract: RecordContract, rows: list[dict[str, Any]], dt: str = "2026-01-05",
    name: str = "part-00000.parquet", schema: pa.Schema | None = None,
) -> Path:  # fmt: skip
    folder = root / contract.table / f"{lake.PARTITION_COLUMN}={dt}"
    folder.mkdir(parents=True, exist_ok=True)
    schema = schema or arrow_schema(lake.lake_fields(contract))
    path = folder / name
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
    return path
