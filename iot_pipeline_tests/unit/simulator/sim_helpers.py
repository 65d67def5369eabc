"""Shared helpers for the simulator tests: run into memory, validate records against the contracts."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime
from typing import Any

import orjson

from iot_contracts import BY_NAME, FieldType
from simulator import MemorySink, RunSummary, SimulationConfig, run_simulation

TS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$")


def run_memory(**kw: Any) -> tuple[RunSummary, list[tuple[str, bytes, bytes]]]:
    kw.setdefault("as_fast_as_possible", True)
    sink = MemorySink()
    summary = run_simulation(SimulationConfig(**kw), sink)
    return summary, sink.records


def _is_utc_timestamp(v: Any) -> bool:
    return (
        isinstance(v, str)
        and bool(TS_RE.match(v))
        and datetime.fromisoformat(v).utcoffset().total_seconds() == 0
    )


def _is_location(v: Any) -> bool:
    return (
        isinstance(v, dict)
        and set(v) == {"latitude", "longitude"}
        and all(isinstance(x, float) for x in v.values())
        and -90 <= v["latitude"] <= 90
        and -180 <= v["longitude"] <= 180
    )


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


CHECKS = {
    FieldType.STRING: lambda v: isinstance(v, str),
    FieldType.INT: _is_int,
    FieldType.LONG: _is_int,
    FieldType.DOUBLE: lambda v: isinstance(v, float | int) and not isinstance(v, bool),
    FieldType.BOOLEAN: lambda v: isinstance(v, bool),
    FieldType.TIMESTAMP: _is_utc_timestamp,
    FieldType.LOCATION: _is_location,
}


def problems(topic: str, key: bytes, value: bytes) -> list[str]:
    """Why a record breaks its contract (empty list: it conforms)."""
    contract = BY_NAME[topic]
    try:
        rec = orjson.loads(value)
    except orjson.JSONDecodeError:
        return ["not JSON"]
    if not isinstance(rec, dict):
        return ["not a JSON object"]
    out = []
    extra = set(rec) - set(contract.field_names)
    if extra:
        out.append(f"extra fields {sorted(extra)}")
    for f in contract.fields:
        if f.name not in rec:
            if f.required:
                out.append(f"missing {f.name}")
            continue
        v = rec[f.name]
        ok = CHECKS[f.type](v)
        if not ok:
            out.append(f"{f.name} has wrong type/format: {v!r}")
    if not out:
        if rec["schemaVersion"] != contract.version:
            out.append(f"schemaVersion {rec['schemaVersion']} != {contract.version}")
        if rec["deviceId"].encode() != key:
            out.append(f"key {key!r} != deviceId {rec['deviceId']!r}")
    return out


def by_topic(records: list[tuple[str, bytes, bytes]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for topic, _key, value in records:
        out[topic].append(orjson.loads(value))
    return out


def by_device(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        out[r["deviceId"]].append(r)
    return out
