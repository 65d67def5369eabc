"""The simulator against the real broker, read back by an independent consumer."""

from __future__ import annotations

import time
from collections import Counter

import orjson
import pytest
from kafka import KafkaConsumer, TopicPartition

from iot_contracts import TOPICS
from iot_pipeline.stack.broker import free_port
from iot_pipeline_tests.unit.simulator.sim_helpers import problems
from simulator import KafkaSink, SimulationConfig, kafka_sink, run_simulation
from simulator.cli import main

pytestmark = pytest.mark.integration


def _end_offsets(bootstrap: str) -> dict[TopicPartition, int]:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    try:
        tps = [TopicPartition(t, p) for t in TOPICS for p in consumer.partitions_for_topic(t) or ()]
        return consumer.end_offsets(tps) if tps else {}
    finally:
        consumer.close()


def _read_since(
    bootstrap: str, before: dict[TopicPartition, int]
) -> list[tuple[str, bytes, bytes]]:
    """Everything written to the five topics after `before` (offsets), in partition order."""
    after = _end_offsets(bootstrap)
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    out: list[tuple[str, bytes, bytes]] = []
    try:
        consumer.assign(list(after))
        for tp in after:
            consumer.seek(tp, before.get(tp, 0))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if all(consumer.position(tp) >= end for tp, end in after.items()):
                break
            for tp, batch in consumer.poll(timeout_ms=500, max_records=50_000).items():
                end = after[tp]
                out.extend((tp.topic, m.key, m.value) for m in batch if m.offset < end)
        else:
            pytest.fail("could not read back everything the simulator produced")
    finally:
        consumer.close()
    return out


def _has_confluent() -> bool:
    try:
        import confluent_kafka  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.parametrize(
    "backend",
    [
        "kafka-python",
        pytest.param(
            "confluent",
            marks=pytest.mark.skipif(not _has_confluent(), reason="confluent-kafka not installed"),
        ),
    ],
)
def test_every_acknowledged_record_is_in_kafka(bootstrap_servers, backend):
    before = _end_offsets(bootstrap_servers)
    seed = 90_210 if backend == "kafka-python" else 90_211
    summary = run_simulation(
        SimulationConfig(vehicles=2, seed=seed, as_fast_as_possible=True, max_events=12_000),
        kafka_sink(bootstrap_servers, backend),
    )
    records = _read_since(bootstrap_servers, before)
    assert summary.delivery_failures == 0
    assert summary.total_events == 12_000
    assert Counter(t for t, _, _ in records) == Counter(
        {t: n for t, n in summary.events_per_topic.items() if n}
    )
    assert [p for t, k, v in records if (p := problems(t, k, v))] == []
    ids = [orjson.loads(v)["id"] for _, _, v in records]
    assert len(ids) == len(set(ids))
    # Both backends hash keys with murmur2: a device keeps one partition per topic.
    partitions = {}
    for tp, key in _keys_by_partition(bootstrap_servers, before):
        assert partitions.setdefault((tp.topic, key), tp.partition) == tp.partition


def test_fault_counts_reconcile_with_what_kafka_holds(bootstrap_servers):
    before = _end_offsets(bootstrap_servers)
    summary = run_simulation(
        SimulationConfig(
            vehicles=3, seed=4_242, as_fast_as_possible=True, max_events=8_000,
            duplicate_rate=0.05, late_rate=0.05, malformed_rate=0.05, max_lateness_s=60,
        ),
        KafkaSink(bootstrap_servers),
    )  # fmt: skip
    records = _read_since(bootstrap_servers, before)
    assert Counter(t for t, _, _ in records) == Counter(
        {t: n for t, n in summary.events_per_topic.items() if n}
    )
    malformed = Counter(t for t, k, v in records if problems(t, k, v))
    unique = Counter()
    for t, ids in _valid_ids(records).items():
        unique[t] = len(ids)
    for t in TOPICS:
        assert malformed[t] == summary.malformed_per_topic[t]
        assert unique[t] == summary.valid_unique_per_topic[t]
    assert sum(summary.duplicates_per_topic.values()) > 0


def _keys_by_partition(bootstrap: str, before: dict[TopicPartition, int]):
    after = _end_offsets(bootstrap)
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    try:
        consumer.assign(list(after))
        for tp in after:
            consumer.seek(tp, before.get(tp, 0))
        pending = {tp for tp, end in after.items() if before.get(tp, 0) < end}
        deadline = time.monotonic() + 60
        while pending and time.monotonic() < deadline:
            for tp, batch in consumer.poll(timeout_ms=500, max_records=50_000).items():
                for m in batch:
                    if m.offset < after[tp]:
                        yield tp, m.key
                if consumer.position(tp) >= after[tp]:
                    pending.discard(tp)
    finally:
        consumer.close()


def _valid_ids(records) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for t, k, v in records:
        if not problems(t, k, v):
            out.setdefault(t, set()).add(orjson.loads(v)["id"])
    return out


def test_cli_into_kafka_prints_a_json_summary(bootstrap_servers, capsys):
    code = main(["run", "--vehicles", "1", "--seed", "5150", "--as-fast-as-possible",
                 "--max-events", "500", "--bootstrap-servers", bootstrap_servers, "--json"])  # fmt: skip
    assert code == 0
    summary = orjson.loads(capsys.readouterr().out)
    assert summary["events"] == 500 and summary["delivery_failures"] == 0


def test_unreachable_broker_fails_with_one_line_and_exit_1(capsys):
    code = main(["run", "--as-fast-as-possible", "--max-events", "10",
                 "--bootstrap-servers", f"127.0.0.1:{free_port()}", "--connect-timeout", "2"])  # fmt: skip
    assert code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Unable to bootstrap" in err


def test_broker_rejections_are_counted_per_topic_and_kind(bootstrap_servers: str):
    """A record the broker refuses fails its future; the shared errback books it, never silently."""
    from kafka.admin import KafkaAdminClient, NewTopic

    from simulator.summary import MALFORMED, VALID, Ledger

    topic = f"tiny_messages_{free_port()}"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap_servers)
    try:
        admin.create_topics([NewTopic(topic, 1, 1, topic_configs={"max.message.bytes": "2048"})])
    finally:
        admin.close()
    ledger = Ledger(topics=(topic,))
    sink = KafkaSink(bootstrap_servers, compression_type=None)
    sink.open(ledger)
    try:
        sink.send(topic, b"k", b"x" * 10, VALID, None)  # fits
        # Records over batch_size (256 KiB) get a batch of their own, so nothing else is split or
        # retried with them: the broker rejects exactly these two.
        sink.send(topic, b"k", b"y" * 300_000, VALID, None)
        sink.send(topic, b"k", b"z" * 300_000, MALFORMED, None)
    finally:
        sink.close(timeout_s=30)
    assert ledger.delivery_failures[topic] == 2
    assert ledger.failed[VALID][topic] == 1 and ledger.failed[MALFORMED][topic] == 1
    assert ledger.first_error is not None
