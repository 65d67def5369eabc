"""Fault tests: kill -9 the streaming job mid-run, restart the broker mid-stream; then reconcile.

Reconciliation reads Kafka with a plain consumer (the oracle: distinct valid ids per topic) and
the lake like Athena does (pyarrow over dt=*/ files, skipping hidden names), never through Spark.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from iot_contracts import CONTRACTS
from iot_contracts.lake import CHECKPOINTS_DIR
from iot_pipeline.stack.broker import KafkaBroker, free_port
from iot_pipeline_tests import spark_helpers as h

pytestmark = [pytest.mark.integration, pytest.mark.slow]


class Trickle(threading.Thread):
    """Keeps producing valid records (and an occasional duplicate or malformed one) until stopped."""

    def __init__(self, bootstrap: str, prefix: str, run: str, per_second: float = 5.0) -> None:
        super().__init__(daemon=True)
        self.bootstrap, self.prefix, self.run_id = bootstrap, prefix, run
        self.interval = 1.0 / per_second
        self.stop_event = threading.Event()
        self.sent = 0
        self.errors = 0

    def run(self) -> None:
        producer = h.producer(self.bootstrap, linger_ms=5, request_timeout_ms=5000)
        i = 0
        while not self.stop_event.is_set():
            for c in CONTRACTS:
                record = h.make_record(c, i, run=self.run_id)
                values = [h.encode(record)]
                if i % 17 == 0:
                    values.append(h.encode(record))  # duplicate
                if i % 29 == 0:
                    values.append(b"{broken")  # malformed
                for v in values:
                    future = producer.send(self.prefix + c.topic, key=b"k", value=v)
                    future.add_errback(self._error)
                    self.sent += 1
            i += 1
            time.sleep(self.interval)
        producer.flush(timeout=120)
        producer.close()

    def _error(self, _exc: Exception) -> None:
        self.errors += 1  # not acked: may or may not be in Kafka; the oracle reads Kafka itself


def commits(lake_root: Path) -> int:
    return sum(1 for _ in (lake_root / CHECKPOINTS_DIR).glob("*/lake_commits/*.json"))


def wait_for(condition: Callable[[], bool], timeout: float, what: str, proc=None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"job exited ({proc.returncode}) while waiting for {what}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def kill9(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def reconcile(bootstrap: str, prefix: str, lake_root: Path) -> dict[str, int]:
    """Per topic: distinct valid ids in Kafka == rows in the lake == distinct ids in the lake."""
    rows = {}
    dead = h.dead_letter_rows(lake_root)
    for c in CONTRACTS:
        values = h.kafka_values(bootstrap, prefix + c.topic)
        expected = h.valid_ids(values, c)
        ids = h.lake_ids(lake_root, c.table)
        assert len(ids) == len(set(ids)), f"{c.table}: {len(ids) - len(set(ids))} duplicate rows"
        assert set(ids) == expected, (
            f"{c.table}: missing {len(expected - set(ids))}, unexpected {len(set(ids) - expected)}"
        )
        invalid = sum(1 for v in values if not h.is_valid_value(v, c))
        offsets = [d["kafka_offset"] for d in dead if d["topic"] == prefix + c.topic]
        # Partitions differ, so count per (partition, offset): one dead letter per bad record.
        assert len(offsets) == invalid, c.table
        rows[c.table] = len(ids)
    dead_keys = [(d["topic"], d["kafka_partition"], d["kafka_offset"]) for d in dead]
    assert len(dead_keys) == len(set(dead_keys))
    return rows


def test_kill_9_mid_run_three_times_then_reconcile(bootstrap_servers, lake_root, tmp_path):
    prefix = f"k{h.unique_topics_prefix()}."
    h.create_topics(bootstrap_servers, [prefix + c.topic for c in CONTRACTS])
    # A backlog, so there are batches to be killed in the middle of...
    backlog = []
    for c in CONTRACTS:
        for i in range(1200):
            record = h.make_record(c, i, run="backlog")
            backlog.append((prefix + c.topic, b"k", h.encode(record)))
            if i % 50 == 0:
                backlog.append((prefix + c.topic, b"k", b"{broken"))
    h.produce(bootstrap_servers, backlog)
    # ...and records flowing in while the job dies and restarts.
    trickle = Trickle(bootstrap_servers, prefix, "live")
    trickle.start()
    args = ("--topic-prefix", prefix, "--max-offsets-per-trigger", "150")
    rng = random.Random(4)
    try:
        for attempt in range(3):
            before = commits(lake_root)
            proc = h.start_job(bootstrap_servers, lake_root, *args, log=tmp_path / "job.log")
            try:
                wait_for(lambda b=before: commits(lake_root) > b, 240, "a published batch", proc)
                time.sleep(rng.uniform(0.0, 2.5))  # somewhere inside the following batches
            finally:
                if proc.poll() is None:
                    kill9(proc)
            assert proc.returncode == -signal.SIGKILL, f"attempt {attempt}: job ended by itself"
    finally:
        trickle.stop_event.set()
        trickle.join(timeout=150)
    final = h.summary(h.run_job(bootstrap_servers, lake_root, "--topic-prefix", prefix))
    assert final["status"] == "ok"
    rows = reconcile(bootstrap_servers, prefix, lake_root)
    assert all(n >= 1200 for n in rows.values()), rows
    # Nothing half-published is left visible, and staging was cleaned up.
    for c in CONTRACTS:
        assert all(f.name.startswith("part-") for f in h.lake_files(lake_root, c.table))
    assert not any(p.is_file() for p in (lake_root / "_staging").rglob("*"))


def test_broker_restart_while_the_simulator_produces_with_faults(tmp_path):
    """The simulator (duplicates, late and malformed records on) keeps producing while the broker
    is killed and restarted; the streaming job rides it out; lake == unique valid events."""
    from simulator import KafkaSink, SimulationConfig, run_simulation

    broker = KafkaBroker(home=tmp_path / "kafka", port=free_port())
    broker.up()
    proc = None
    stop = threading.Event()
    outcome: dict = {}
    try:
        bootstrap = broker.bootstrap_servers
        h.create_topics(bootstrap, [c.topic for c in CONTRACTS])
        lake_root = tmp_path / "lake"
        proc = h.start_job(
            bootstrap, lake_root, "--trigger", "processing-time=1 second", log=tmp_path / "job.log"
        )
        config = SimulationConfig(
            vehicles=3, speedup=20, continuous=True, duplicate_rate=0.05, late_rate=0.05,
            max_lateness_s=120, malformed_rate=0.03,
        )  # fmt: skip
        sink = KafkaSink(bootstrap, delivery_timeout_ms=60_000, request_timeout_ms=5_000)
        simulator = threading.Thread(
            target=lambda: outcome.update(summary=run_simulation(config, sink, stop=stop)),
            daemon=True,
        )
        simulator.start()
        wait_for(lambda: commits(lake_root) >= len(CONTRACTS), 240, "first batches", proc)
        broker.kill()  # kill -9: its data stays, so `up` brings the same topics back
        time.sleep(3)
        broker.up()
        time.sleep(10)
        stop.set()
        simulator.join(timeout=150)
        # The streaming job rode out the outage: it keeps publishing without a restart.
        before = commits(lake_root)
        wait_for(lambda: commits(lake_root) > before, 120, "batches after the restart", proc)
        time.sleep(5)
        os.kill(h.driver_pid(proc), signal.SIGTERM)  # graceful stop: the job reports, exits 0
        assert proc.wait(timeout=120) == 0, h.job_errors((tmp_path / "job.log").read_text())
        # A drain run picks up anything produced after the last trigger.
        h.run_job(bootstrap, lake_root)
        rows = reconcile(bootstrap, "", lake_root)
        summary = outcome["summary"]
        assert sum(summary.duplicates_per_topic.values()) > 0
        assert sum(summary.malformed_per_topic.values()) > 0
        if summary.delivery_failures == 0:
            # Every send was acked exactly once: the simulator's own ledger must match too.
            assert rows == summary.valid_unique_per_topic
            dead = h.dead_letter_rows(lake_root)
            for c in CONTRACTS:
                bad = sum(1 for d in dead if d["topic"] == c.topic)
                assert bad == summary.malformed_per_topic[c.topic], c.topic
    finally:
        stop.set()
        if proc is not None and proc.poll() is None:
            kill9(proc)
        broker.down()
