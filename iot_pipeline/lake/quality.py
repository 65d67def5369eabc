"""Pure data-quality rules over a lake table read with pyarrow (no Dagster, no Spark).

Each rule returns (passed, metadata); the asset checks wrap them, the tests call them directly.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from iot_contracts import RecordContract, lake
from iot_contracts.types import arrow_type

# The London -> Birmingham corridor with a generous margin (degrees); points outside are bugs.
CORRIDOR = {"lat_min": 51.2, "lat_max": 52.7, "lon_min": -2.3, "lon_max": 0.3}
MAX_SPEED_KMH = 200.0

Outcome = tuple[bool, dict[str, Any]]


def _same_kind(expected: pa.DataType, actual: pa.DataType) -> bool:
    # Spark writes timestamps in its own unit/zone convention; the kind is what readers rely on.
    if pa.types.is_timestamp(expected):
        return pa.types.is_timestamp(actual)
    return expected.equals(actual)


def schema_conformance(contract: RecordContract, schema: pa.Schema) -> Outcome:
    """Every contract and lineage column is present with the contract's type."""
    missing, mistyped = [], []
    for field in lake.lake_fields(contract):
        if field.name not in schema.names:
            missing.append(field.name)
        elif not _same_kind(arrow_type(field), schema.field(field.name).type):
            mistyped.append(f"{field.name}: {schema.field(field.name).type}")
    return not (missing or mistyped), {"missing": missing, "mistyped": mistyped}


def unique_ids(table: pa.Table) -> Outcome:
    rows = table.num_rows
    distinct = len(pc.unique(table.column("id"))) if rows else 0
    return distinct == rows, {"rows": rows, "distinct_ids": distinct, "duplicates": rows - distinct}


def required_not_null(contract: RecordContract, table: pa.Table) -> Outcome:
    nulls = {
        name: table.column(name).null_count
        for name in contract.required_fields
        if name in table.column_names and table.column(name).null_count
    }
    return not nulls, {"null_required_values": nulls}


def physical_bounds(table: pa.Table) -> Outcome:
    """Speeds, headings and positions a vehicle on this route can actually have."""
    problems: dict[str, int] = {}
    # Columns of the wrong type are the schema check's finding; bounds apply to numbers only.
    names = [n for n in table.column_names if not pa.types.is_string(table.schema.field(n).type)]
    if "speed" in names:
        speed = table.column("speed")
        problems["speed_out_of_range"] = (
            pc.sum(pc.or_(pc.less(speed, 0), pc.greater(speed, MAX_SPEED_KMH))).as_py() or 0
        )
    if "direction" in names:
        direction = table.column("direction")
        problems["direction_out_of_range"] = (
            pc.sum(pc.or_(pc.less(direction, 0), pc.greater_equal(direction, 360))).as_py() or 0
        )
    if "location" in names:
        loc = table.column("location")
        lat, lon = pc.struct_field(loc, "latitude"), pc.struct_field(loc, "longitude")
        outside = pc.or_(
            pc.or_(pc.less(lat, CORRIDOR["lat_min"]), pc.greater(lat, CORRIDOR["lat_max"])),
            pc.or_(pc.less(lon, CORRIDOR["lon_min"]), pc.greater(lon, CORRIDOR["lon_max"])),
        )
        problems["outside_corridor"] = pc.sum(outside).as_py() or 0
    return not any(problems.values()), {"rows": table.num_rows, **problems}


def dead_letter_rate(dead_letters: int, valid_rows: int, threshold: float) -> Outcome:
    total = dead_letters + valid_rows
    rate = dead_letters / total if total else 0.0
    return rate <= threshold, {
        "dead_letters": dead_letters,
        "rate": round(rate, 6),
        "threshold": threshold,
    }


def reconciliation(kafka_records: int, lake_rows: int, dead_letters: int, dropped: int) -> Outcome:
    """Every record the stream has read is a lake row, a dead letter or a dropped duplicate."""
    accounted = lake_rows + dead_letters + dropped
    return accounted == kafka_records, {
        "kafka_records_read": kafka_records,
        "lake_rows": lake_rows,
        "dead_letters": dead_letters,
        "duplicates_dropped": dropped,
        "unaccounted": kafka_records - accounted,
    }


def freshness(newest: datetime | None, now: datetime, max_age: timedelta) -> Outcome:
    """Fresh when the newest committed data file landed within max_age."""
    if newest is None:
        return False, {"newest_file_at": None, "max_age_s": max_age.total_seconds()}
    age = now - newest
    return age <= max_age, {
        "newest_file_at": newest.isoformat(),
        "age_s": round(age.total_seconds(), 1),
        "max_age_s": max_age.total_seconds(),
    }
