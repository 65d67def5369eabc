"""Test helpers for the streaming job: records built from the contracts, Kafka I/O, lake readers.

Records are made here (not by the simulator) so the spark_jobs tests do not depend on it.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from iot_contracts import FieldType, RecordContract
from iot_contracts.lake import DEAD_LETTER_TABLE, is_hidden

T = FieldType
BASE_TIME = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)


def wire_time(ts: datetime) -> str:
    """2026-12-04T10:00:00.000000+00:00, as the devices send it."""
    return ts.astimezone(UTC).isoformat(timespec="microseconds")


def _value(field_type: FieldType, name: str, i: int, ts: datetime) -> Any:
    if field_type is T.STRING:
        return f"{name}-{i % 7}"
    if field_type is T.INT:
        return 1 if name == "schemaVersion" else 2000 + i % 25
    if field_type is T.LONG:
        return 10_000_000_000 + i
    if field_type is T.DOUBLE:
        return round(10.0 + (i % 1000) / 7, 4)
    if field_type is T.BOOLEAN:
        return i % 2 == 0
    if field_type is T.TIMESTAMP:
        return wire_time(ts)
    if field_type is T.LOCATION:
        return {"latitude": 51.5 + (i % 100) / 1000, "longitude": -0.12 - (i % 100) / 1000}
    raise AssertionError(field_type)


def make_record(
    contract: RecordContract, i: int, ts: datetime | None = None, run: str = "t"
) -> dict[str, Any]:
    """A valid record of `contract`, id unique per (contract, run, i)."""
    ts = ts or BASE_TIME + timedelta(seconds=i)
    record = {f.name: _value(f.type, f.name, i, ts) for f in contract.fields}
    record["id"] = f"{contract.name}-{run}-{i}"
    record["deviceId"] = f"vehicle-{i % 5}"
    return record


def malformed_values(contract: RecordContract, i: int) -> list[bytes]:
    """Payloads that must each become one dead letter: not JSON, missing field, wrong types."""
    good = make_record(contract, i, run="bad")
    missing = {k: v for k, v in good.items() if k != "deviceId"}
    wrong_number = {**good, "location": {"latitude": "north", "longitude": 1.0}}
    wrong_time = {**good, "timestamp": 1_700_000_000}
    wrong_version = {**good, "schemaVersion": "one"}
    return [
        b"this is not json {",
        json.dumps(missing).encode(),
        json.dumps(wrong_number).encode(),
        json.dumps(wrong_time).encode(),
        json.dumps(wrong_version).encode(),
        b"[1, 2, 3]",
    ]


def encode(record: dict[str, Any]) -> bytes:
    return json.dumps(record, separators=(",", ":")).encode()


def producer(bootstrap: str, **overrides: Any):
    from kafka import KafkaProducer

    settings = {
        "bootstrap_servers": bootstrap,
        "acks": "all",
        "linger_ms": 20,
        "batch_size": 256 * 1024,
        "compression_type": None,
        "retries": 10,
    }
    settings.update(overrides)
    return KafkaProducer(**settings)


def create_topics(bootstrap: str, topics: Iterable[str], partitions: int = 3) -> None:
    from kafka import KafkaAdminClient
    from kafka.admin import NewTopic
    from kafka.errors import TopicAlreadyExistsError

    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        for t in topics:
            with contextlib.suppress(TopicAlreadyExistsError):
                admin.create_topics([NewTopic(t, partitions, 1)])
    finally:
        admin.close()


def unique_topics_prefix() -> str:
    return uuid.uuid4().hex[:6]


def produce(bootstrap: str, messages: Iterable[tuple[str, bytes | None, bytes]]) -> int:
    """Send (topic, key, value) messages and wait for all acks; returns how many."""
    p = producer(bootstrap)
    n = 0
    try:
        for topic, key, value in messages:
            p.send(topic, key=key, value=value)
            n += 1
        p.flush(timeout=120)
    finally:
        p.close()
    return n


def kafka_values(bootstrap: str, topic: str, timeout_s: float = 30) -> list[bytes]:
    """Every value currently in topic (all partitions), read with a plain consumer."""
    from kafka import KafkaConsumer, TopicPartition

    c = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    try:
        parts = [TopicPartition(topic, p) for p in sorted(c.partitions_for_topic(topic) or [])]
        c.assign(parts)
        c.seek_to_beginning(*parts)
        end = c.end_offsets(parts)
        out: list[bytes] = []
        deadline = time.monotonic() + timeout_s
        while any(c.position(tp) < end[tp] for tp in parts):
            if time.monotonic() > deadline:
                raise TimeoutError(f"could not read {topic} to its end")
            for records in c.poll(timeout_ms=1000).values():
                out.extend(r.value for r in records)
        return out
    finally:
        c.close()


def valid_ids(values: Iterable[bytes], contract: RecordContract) -> set[str]:
    """Distinct ids of the values that satisfy the contract (the oracle for reconciliation)."""
    ids = set()
    for v in values:
        try:
            record = json.loads(v)
        except ValueError:
            continue
        if is_valid(record, contract):
            ids.add(record["id"])
    return ids


def _is_wire_time(value: Any) -> bool:
    if not isinstance(value, str) or "T" not in value:
        return False
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def is_valid_value(value: bytes | None, contract: RecordContract) -> bool:
    try:
        return value is not None and is_valid(json.loads(value), contract)
    except ValueError:
        return False


def is_valid(record: Any, contract: RecordContract) -> bool:
    if not isinstance(record, dict):
        return False
    for f in contract.fields:
        value = record.get(f.name)
        if value is None:
            if f.required:
                return False
            continue
        if f.type is T.LOCATION and not (
            isinstance(value, dict)
            and all(isinstance(value.get(k), int | float) for k in ("latitude", "longitude"))
        ):
            return False
        if f.type is T.TIMESTAMP and not _is_wire_time(value):
            return False
        if f.type is T.INT and (not isinstance(value, int) or isinstance(value, bool)):
            return False
        if f.type is T.DOUBLE and (not isinstance(value, int | float) or isinstance(value, bool)):
            return False
    return record.get("schemaVersion") == contract.version


# -- reading the lake the way Athena does -----------------------------------------------------------


def lake_files(lake_root: Path, table: str) -> list[Path]:
    """Data files an Athena-style reader sees: dt=*/ folders, skipping _ and . names."""
    folder = lake_root / table
    out = []
    for part in sorted(folder.glob("dt=*")):
        if part.is_dir() and not is_hidden(part.name):
            out.extend(p for p in sorted(part.iterdir()) if p.is_file() and not is_hidden(p.name))
    return out


def read_table(lake_root: Path, table: str):
    """The table as pyarrow sees it (hive partition dt included), or None when it has no files."""
    import pyarrow.dataset as ds

    files = lake_files(lake_root, table)
    if not files:
        return None
    return ds.dataset(
        [str(f) for f in files], format="parquet", partitioning="hive",
        partition_base_dir=str(lake_root / table),
    ).to_table()  # fmt: skip


def lake_ids(lake_root: Path, table: str) -> list[str]:
    t = read_table(lake_root, table)
    return [] if t is None else t.column("id").to_pylist()


def dead_letter_rows(lake_root: Path) -> list[dict[str, Any]]:
    t = read_table(lake_root, DEAD_LETTER_TABLE)
    return [] if t is None else t.to_pylist()


# -- running the job ------------------------------------------------------------------------------


def job_command(bootstrap: str, lake_root: Path, *extra: str) -> list[str]:
    from iot_pipeline.paths import jars
    from spark_jobs.submit import spark_submit_command

    args = ["--bootstrap-servers", bootstrap, "--lake-root", str(lake_root), *extra]
    return spark_submit_command(args, jars("spark"))


def run_job(
    bootstrap: str, lake_root: Path, *extra: str, timeout: float = 240, check: bool = True
) -> subprocess.CompletedProcess:
    """Run stream_to_lake.py to completion; returns the process (stdout holds the summary)."""
    from spark_jobs.submit import submit_env

    proc = subprocess.run(
        job_command(bootstrap, lake_root, *extra),
        capture_output=True, text=True, timeout=timeout, env=submit_env(),
    )  # fmt: skip
    if check and proc.returncode != 0:
        raise AssertionError(f"job failed ({proc.returncode}):\n{job_errors(proc.stderr)}")
    return proc


def job_errors(stderr: str, limit: int = 6000) -> str:
    """stderr without Spark's routine WARN/INFO chatter."""
    noise = (" WARN ", " INFO ", "WARNING: Using incubator", "log4j2-defaults")
    lines = [line for line in stderr.splitlines() if not any(n in line for n in noise)]
    return "\n".join(lines)[-limit:]


def start_job(bootstrap: str, lake_root: Path, *extra: str, log: Path) -> subprocess.Popen:
    """Start the job in the background in its own process group (so kill -9 takes the JVM too)."""
    from spark_jobs.submit import submit_env

    out = open(log, "ab")  # noqa: SIM115 (closed when the process is reaped)
    return subprocess.Popen(
        job_command(bootstrap, lake_root, *extra),
        stdout=out, stderr=subprocess.STDOUT, env=submit_env(), start_new_session=True,
    )  # fmt: skip


def driver_pid(proc: subprocess.Popen, timeout: float = 60) -> int:
    """The Python driver spark-submit started (a child in the job's process group)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
                if os.getpgid(int(entry.name)) != proc.pid:
                    continue
            except (OSError, ProcessLookupError):
                continue
            if b"python" in Path(argv[0].decode()).name.encode() and any(
                a.endswith(b"stream_to_lake.py") for a in argv
            ):
                return int(entry.name)
        time.sleep(0.2)
    raise AssertionError("the job's Python driver process was not found")


def summary(proc: subprocess.CompletedProcess) -> dict[str, Any]:
    """The run summary the job prints as its last JSON line on stdout."""
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise AssertionError(f"no summary on stdout:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
