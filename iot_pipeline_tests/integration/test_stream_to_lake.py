"""stream_to_lake on the real broker: duplicates, late and malformed records; Pipes reports; failures.

Each test uses its own topic prefix on the session broker, and reads the lake the way Athena does
(pyarrow over dt=*/ files, hidden names skipped), never with Spark's metadata-aware reader.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from iot_contracts import CONTRACTS, GPS, VEHICLE
from iot_pipeline_tests import spark_helpers as h

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def pipes_env(tmp_path: Path, asset_keys: list[str]) -> dict[str, str]:
    """Environment that makes the job a Dagster Pipes process writing messages to a file."""
    from dagster_pipes import encode_param

    context = {
        "asset_keys": asset_keys,
        "code_version_by_asset_key": None,
        "provenance_by_asset_key": None,
        "partition_key": None,
        "partition_key_range": None,
        "partition_time_window": None,
        "run_id": "test-run",
        "job_name": "test",
        "retry_number": 0,
        "extras": {},
    }
    return {
        "DAGSTER_PIPES_CONTEXT": encode_param({"data": context}),
        "DAGSTER_PIPES_MESSAGES": encode_param({"path": str(tmp_path / "messages.jsonl")}),
    }


def materializations(tmp_path: Path) -> list[dict]:
    lines = (tmp_path / "messages.jsonl").read_text().splitlines()
    messages = [json.loads(line) for line in lines]
    return [m["params"] for m in messages if m["method"] == "report_asset_materialization"]


def test_duplicates_late_and_malformed_reconcile_across_restarts(
    bootstrap_servers, lake_root, tmp_path, monkeypatch
):
    prefix = f"t{h.unique_topics_prefix()}."
    h.create_topics(bootstrap_servers, [prefix + c.topic for c in CONTRACTS])
    n = 150
    expected: dict[str, set[str]] = {c.table: set() for c in CONTRACTS}
    messages = []
    for c in CONTRACTS:
        records = [h.make_record(c, i) for i in range(n)]
        expected[c.table].update(r["id"] for r in records)
        for r in records:
            messages.append((prefix + c.topic, r["deviceId"].encode(), h.encode(r)))
        # Duplicates: same payload re-sent, and same id with a changed payload (first wins).
        for r in records[:10]:
            messages.append((prefix + c.topic, r["deviceId"].encode(), h.encode(r)))
        for r in records[10:15]:
            messages.append((prefix + c.topic, b"x", h.encode({**r, "deviceId": "changed"})))
        # Late, but inside the dedupe window: kept.
        late = h.make_record(c, 10_000, ts=h.BASE_TIME - timedelta(minutes=5))
        expected[c.table].add(late["id"])
        messages.append((prefix + c.topic, b"late", h.encode(late)))
        messages += [(prefix + c.topic, b"bad", v) for v in h.malformed_values(c, 1)]
    h.produce(bootstrap_servers, messages)
    malformed_per_topic = len(h.malformed_values(VEHICLE, 1))

    keys = [f"lake/{c.table}" for c in CONTRACTS] + ["lake/dead_letter"]
    for key, value in pipes_env(tmp_path, keys).items():
        monkeypatch.setenv(key, value)
    args = ("--topic-prefix", prefix, "--dedupe-window", "10 minutes")
    first = h.summary(h.run_job(bootstrap_servers, lake_root, *args))
    monkeypatch.delenv("DAGSTER_PIPES_CONTEXT")
    monkeypatch.delenv("DAGSTER_PIPES_MESSAGES")

    assert first["status"] == "ok"
    for c in CONTRACTS:
        ids = h.lake_ids(lake_root, c.table)
        assert len(ids) == len(set(ids)) == len(expected[c.table]), c.table
        assert set(ids) == expected[c.table]
        meta = first["tables"][f"lake/{c.table}"]
        assert meta["rows_written"] == n + 1
        assert meta["dead_letters"] == malformed_per_topic
        assert meta["duplicates_dropped"] == 15
        assert meta["late_dropped"] == 0
        assert meta["kafka_records_read"] == n + 15 + 1 + malformed_per_topic
        offsets = meta["kafka_offsets"]
        assert sum(r["end"] - r["start"] for r in offsets.values()) == meta["kafka_records_read"]
    dead = h.dead_letter_rows(lake_root)
    assert len(dead) == malformed_per_topic * len(CONTRACTS)
    assert {d["topic"] for d in dead} == {prefix + c.topic for c in CONTRACTS}
    assert all(d["error"] and d["kafka_offset"] is not None and d["ingested_at"] for d in dead)
    assert first["tables"]["lake/dead_letter"]["rows_written"] == len(dead)
    # Dead letters are rebuilt from a batch read of the micro-batch's logged offsets: the exact
    # payloads, and the ingest time of the feed rows of the same (single) batch.
    assert Counter((d["topic"], d["raw_value"]) for d in dead) == Counter(
        (prefix + c.topic, v.decode()) for c in CONTRACTS for v in h.malformed_values(c, 1)
    )
    for c in CONTRACTS:
        feed_times = set(h.read_table(lake_root, c.table).column("ingested_at").to_pylist())
        assert len(feed_times) == 1
        assert {d["ingested_at"] for d in dead if d["topic"] == prefix + c.topic} == feed_times

    # Pipes: exactly one materialization per table, with the run's figures.
    reported = materializations(tmp_path)
    assert sorted(m["asset_key"] for m in reported) == sorted(keys)
    gps = next(m for m in reported if m["asset_key"] == f"lake/{GPS.table}")["metadata"]
    assert gps["rows_written"]["raw_value"] == n + 1
    assert gps["duplicates_dropped"]["raw_value"] == 15

    # Lineage columns on every row; partitions from event time; no stray files visible.
    table = h.read_table(lake_root, VEHICLE.table)
    assert {"kafka_partition", "kafka_offset", "ingested_at"} <= set(table.column_names)
    assert {str(d) for d in table.column("dt").to_pylist()} == {"2026-12-04"}
    assert all(f.name.endswith(".zstd.parquet") for f in h.lake_files(lake_root, VEHICLE.table))

    # Second run: the dedupe state survived the restart (ids of run 1 resent are dropped); a
    # record later than the window is dropped and counted; new records land.
    messages = []
    for c in CONTRACTS:
        again = h.make_record(c, 3)
        too_late = h.make_record(c, 20_000, ts=h.BASE_TIME - timedelta(hours=2))
        fresh = [h.make_record(c, i) for i in range(n, n + 20)]
        expected[c.table].update(r["id"] for r in fresh)
        for r in [again, too_late, *fresh]:
            messages.append((prefix + c.topic, r["deviceId"].encode(), h.encode(r)))
        # A later batch's dead letters are re-read from offsets that do not start at 0.
        messages.append((prefix + c.topic, b"bad", b"second run: not json"))
    h.produce(bootstrap_servers, messages)
    second = h.summary(h.run_job(bootstrap_servers, lake_root, *args))
    for c in CONTRACTS:
        ids = h.lake_ids(lake_root, c.table)
        assert len(ids) == len(set(ids)) and set(ids) == expected[c.table], c.table
        meta = second["tables"][f"lake/{c.table}"]
        assert meta["rows_written"] == 20
        assert meta["duplicates_dropped"] == 1
        assert meta["late_dropped"] == 1
        assert meta["dead_letters"] == 1
    dead_now = h.dead_letter_rows(lake_root)
    assert len(dead_now) == len(dead) + len(CONTRACTS)
    assert Counter(d["topic"] for d in dead_now if d["raw_value"] == "second run: not json") == {
        prefix + c.topic: 1 for c in CONTRACTS
    }


def test_a_failing_table_fails_the_job_and_is_named(bootstrap_servers, lake_root):
    prefix = f"t{h.unique_topics_prefix()}."
    tables = [GPS, VEHICLE]
    h.create_topics(bootstrap_servers, [prefix + c.topic for c in tables])
    h.produce(
        bootstrap_servers,
        [
            (prefix + c.topic, None, h.encode(h.make_record(c, i)))
            for c in tables
            for i in range(20)
        ],
    )
    # gps_data cannot be published: a plain file sits where its table folder belongs.
    (lake_root / GPS.table).write_text("in the way")
    proc = h.run_job(
        bootstrap_servers, lake_root, "--topic-prefix", prefix,
        "--tables", f"{GPS.table},{VEHICLE.table}", check=False,
    )  # fmt: skip
    assert proc.returncode == 1
    # spark-submit merges the Python driver's stderr into its stdout.
    output = proc.stdout + proc.stderr
    assert (
        f"stream_to_lake: error: query for table {GPS.table} failed: NotADirectoryError" in output
    )
    result = h.summary(proc)
    assert result["status"] == "failed"
    assert result["tables"][f"lake/{GPS.table}"]["status"] == "failed"
    # The healthy table still landed, exactly once.
    assert result["tables"][f"lake/{VEHICLE.table}"]["status"] == "ok"
    assert len(set(h.lake_ids(lake_root, VEHICLE.table))) == 20
    assert os.path.isfile(lake_root / GPS.table)


@pytest.mark.parametrize("lake_commit", ["committed", "pending"])
def test_a_batch_replayed_after_a_crash_between_the_two_commit_logs(
    bootstrap_servers, lake_root, lake_commit
):
    """The crash window kill -9 rarely hits: our lake commit (or its manifest) is written, Spark's
    own batch commit is not. Spark replays the batch; its files must not be written again, and its
    dedupe state must still be committed (Spark 4 fails the query otherwise)."""
    prefix = f"t{h.unique_topics_prefix()}."
    topic = prefix + GPS.topic
    h.create_topics(bootstrap_servers, [topic])
    records = [h.make_record(GPS, i) for i in range(40)]
    h.produce(bootstrap_servers, [(topic, None, h.encode(r)) for r in records])
    args = ("--topic-prefix", prefix, "--tables", GPS.table)
    assert h.summary(h.run_job(bootstrap_servers, lake_root, *args))["status"] == "ok"
    files = h.lake_files(lake_root, GPS.table)

    checkpoint = lake_root / "_checkpoints" / GPS.table
    last = max(int(p.name) for p in (checkpoint / "commits").iterdir() if p.name.isdigit())
    # Spark's commit of the last batch, and its checksum file.
    (checkpoint / "commits" / str(last)).unlink()
    (checkpoint / "commits" / f".{last}.crc").unlink(missing_ok=True)
    if lake_commit == "pending":  # died after the manifest, before our commit
        ours = next(p for p in (checkpoint / "lake_commits").glob("*.json") if int(p.stem) == last)
        ours.rename(ours.with_suffix(".pending"))

    replay = h.summary(h.run_job(bootstrap_servers, lake_root, *args))
    assert replay["status"] == "ok"
    if lake_commit == "committed":
        assert replay["tables"][f"lake/{GPS.table}"]["batches_replayed_after_restart"] == 1
    assert h.lake_files(lake_root, GPS.table) == files
    assert sorted(h.lake_ids(lake_root, GPS.table)) == sorted(r["id"] for r in records)

    # The replayed batch's dedupe state is in place: an id it saw is still a duplicate.
    h.produce(bootstrap_servers, [(topic, None, h.encode(records[0]))])
    again = h.summary(h.run_job(bootstrap_servers, lake_root, *args))["tables"][f"lake/{GPS.table}"]
    assert (again["rows_written"], again["duplicates_dropped"]) == (0, 1)
