"""Fault injection: every injected fault is counted, and the counts reconcile with what was sent."""

from __future__ import annotations

from collections import Counter

import orjson

from iot_contracts import TOPICS
from iot_pipeline_tests.unit.simulator.sim_helpers import problems, run_memory


def _classify(records):
    """What a validating, deduplicating reader would make of the records, per topic."""
    valid_ids: dict[str, Counter] = {t: Counter() for t in TOPICS}
    malformed = Counter()
    for topic, key, value in records:
        if problems(topic, key, value):
            malformed[topic] += 1
        else:
            valid_ids[topic][orjson.loads(value)["id"]] += 1
    return valid_ids, malformed


def test_counts_reconcile_with_a_validating_deduplicating_reader(faulty_run):
    summary, records = faulty_run
    valid_ids, malformed = _classify(records)
    assert Counter(t for t, _, _ in records) == Counter(summary.events_per_topic)
    for t in TOPICS:
        assert len(valid_ids[t]) == summary.valid_unique_per_topic[t], t
        assert malformed[t] == summary.malformed_per_topic[t], t
        extra_copies = sum(valid_ids[t].values()) - len(valid_ids[t])
        assert extra_copies == summary.duplicates_per_topic[t], t
        assert summary.events_per_topic[t] == (
            summary.valid_unique_per_topic[t]
            + summary.duplicates_per_topic[t]
            + summary.malformed_per_topic[t]
        )
    d = summary.to_dict()
    assert d["duplicates"] > 0 and d["malformed"] > 0 and d["late"] > 0 and d["dropouts"] > 0
    assert summary.dropout_episodes > 0
    assert summary.delivery_failures == 0


def test_malformed_records_are_a_mix_of_kinds(faulty_run):
    _, records = faulty_run
    reasons = Counter()
    for topic, key, value in records:
        for p in problems(topic, key, value):
            reasons[p.split(" ")[0] if p != "not JSON" else p] += 1
    assert reasons["not JSON"] > 0
    assert reasons["missing"] > 0
    assert sum(n for r, n in reasons.items() if r not in ("not JSON", "missing")) > 0  # wrong type


def test_late_records_arrive_out_of_order_but_within_max_lateness(faulty_run):
    _, records = faulty_run
    newest: dict[str, str] = {}
    late = 0
    from datetime import datetime

    for topic, key, value in records:
        if problems(topic, key, value):
            continue
        r = orjson.loads(value)
        ts = datetime.fromisoformat(r["timestamp"])
        prev = newest.get(r["deviceId"])
        if prev is not None and ts < prev:
            late += 1
            assert (prev - ts).total_seconds() <= 120 + 60  # max lateness + one tick of slack
        newest[r["deviceId"]] = max(ts, prev) if prev else ts
    assert late > 0


def test_dropouts_silence_the_vehicle_but_not_the_cameras():
    clean, _ = run_memory(vehicles=2, seed=4, max_events=20_000)
    dropped, _ = run_memory(vehicles=2, seed=4, max_events=20_000, dropout_rate=0.3)
    assert dropped.dropouts_per_topic["vehicle_data"] > 0
    assert dropped.dropouts_per_topic["traffic_data"] == 0
    # The same number of events took longer to generate: time was spent offline.
    assert dropped.sim_end > clean.sim_end


def test_no_faults_means_no_fault_counts(journey_3):
    summary, _ = journey_3
    d = summary.to_dict()
    assert (d["duplicates"], d["late"], d["malformed"], d["dropouts"]) == (0, 0, 0, 0)


def test_max_events_is_exact_without_faults():
    summary, records = run_memory(vehicles=3, max_events=1_234)
    assert len(records) == summary.total_events == 1_234
    assert summary.stopped_by == "max_events"


def test_faults_leave_the_valid_stream_unchanged():
    """Records that are neither malformed nor dropped are byte-identical to a clean run's."""
    _, clean = run_memory(vehicles=1, seed=9, max_events=3_000)
    _, dup = run_memory(vehicles=1, seed=9, max_events=3_000, duplicate_rate=0.1)
    assert list(dict.fromkeys(dup)) == clean


class FlakySink:
    """Reports every 7th send as failed, as a broker timing out would (through the ledger)."""

    name = name_detail = "flaky"

    def __init__(self) -> None:
        self.delivered: list[tuple[str, bytes, bytes]] = []
        self.n = 0

    def open(self, ledger) -> None:
        self.ledger = ledger

    def send(self, topic, key, value, kind, pair) -> None:
        self.n += 1
        if self.n % 7 == 0:
            self.ledger.on_failure(topic, kind, pair, TimeoutError("broker gone"))
        else:
            self.delivered.append((topic, key, value))

    def close(self, timeout_s=None) -> None:
        pass


def test_delivery_failures_are_counted_and_excluded_from_acked_counts():
    from simulator import SimulationConfig, run_simulation

    sink = FlakySink()
    summary = run_simulation(
        SimulationConfig(vehicles=2, seed=2, as_fast_as_possible=True, max_events=5_000,
                         duplicate_rate=0.2, malformed_rate=0.05),
        sink,
    )  # fmt: skip
    valid_ids, malformed = _classify(sink.delivered)
    assert summary.delivery_failures == sink.n // 7 > 0
    assert "TimeoutError: broker gone" in summary.first_delivery_error
    assert summary.total_events == len(sink.delivered)
    for t in TOPICS:
        assert len(valid_ids[t]) == summary.valid_unique_per_topic[t], t
        assert sum(valid_ids[t].values()) - len(valid_ids[t]) == summary.duplicates_per_topic[t]
        assert malformed[t] == summary.malformed_per_topic[t]
