"""Every record the simulator emits conforms to its iot_contracts contract."""

from __future__ import annotations

from collections import Counter

import orjson
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from iot_contracts import TOPICS
from iot_pipeline_tests.unit.simulator.sim_helpers import problems, run_memory


def test_every_record_conforms_to_its_contract(journey_3):
    _summary, records = journey_3
    assert records, "the journey produced nothing"
    bad = [(t, p) for t, k, v in records if (p := problems(t, k, v))]
    assert bad == []
    assert {t for t, _, _ in records} == set(TOPICS)


def test_summary_counts_match_what_the_sink_received(journey_3):
    summary, records = journey_3
    assert Counter(t for t, _, _ in records) == Counter(summary.events_per_topic)
    assert summary.events_per_topic == summary.valid_unique_per_topic
    assert summary.stopped_by == "completed"


def test_event_ids_are_unique(journey_3):
    _, records = journey_3
    ids = [orjson.loads(v)["id"] for _, _, v in records]
    assert len(ids) == len(set(ids))


def test_problems_detects_contract_breaks():
    """The checker itself must be able to fail."""
    good = run_memory(vehicles=1, max_events=3)[1][0]
    topic, key, value = good
    rec = orjson.loads(value)
    assert problems(topic, key, value) == []
    assert problems(topic, key, value[:-3]) == ["not JSON"]
    assert problems(topic, key, orjson.dumps({**rec, "extra": 1}))
    missing = dict(rec)
    missing.pop("timestamp")
    assert problems(topic, key, orjson.dumps(missing)) == ["missing timestamp"]
    assert problems(topic, key, orjson.dumps({**rec, "timestamp": "2026-01-05 08:00"}))
    assert problems(topic, b"someone-else", value)


@settings(max_examples=3, deadline=None, phases=(Phase.explicit, Phase.reuse, Phase.generate))
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_one_vehicle_full_journey_fills_every_topic(seed):
    summary, _ = run_memory(vehicles=1, seed=seed)
    assert summary.stopped_by == "completed"
    assert all(summary.events_per_topic[t] > 0 for t in TOPICS), summary.events_per_topic


@pytest.mark.parametrize("vehicles", [1, 2, 5])
def test_devices_are_distinct_and_keys_are_device_ids(vehicles):
    _, records = run_memory(vehicles=vehicles, max_events=4000, departure_window_s=0)
    devices = {orjson.loads(v)["deviceId"] for t, _, v in records if t == "vehicle_data"}
    assert len(devices) == vehicles
    assert all(orjson.loads(v)["deviceId"].encode() == k for _, k, v in records)
