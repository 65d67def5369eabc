"""Property tests on the physics and the world: motion, bearing, route corridor, cameras, weather,
incidents, determinism."""

from __future__ import annotations

import io
import math
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import orjson
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from iot_pipeline_tests.unit.simulator.sim_helpers import by_device, by_topic, run_memory
from simulator import JsonlSink, SimulationConfig, run_simulation
from simulator.geo import angle_diff, bearing_deg, haversine_m
from simulator.incidents import STATUS_RANK
from simulator.kinematics import MAX_BRAKE
from simulator.route import default_route
from simulator.weather import SNOW_MAX_C, WeatherModel

ROUTE = default_route()
BASE = datetime(2026, 1, 5, tzinfo=UTC)
# Seeded runs starting at any hour of the year (rush hour, night, summer, winter), various ticks.
runs = st.builds(
    dict,
    seed=st.integers(0, 2**32),
    vehicles=st.integers(1, 4),
    start_time=st.integers(0, 364 * 24).map(lambda h: BASE + timedelta(hours=h)),
    tick_s=st.sampled_from([1.0, 0.5, 2.0]),
    departure_window_s=st.sampled_from([0.0, 120.0]),
)
# No shrinking: each example is a whole run, and a failure prints its few parameters anyway.
FAST = (Phase.explicit, Phase.reuse, Phase.generate)
MAX_EVENTS = 8_000


def _ts(row) -> datetime:
    return datetime.fromisoformat(row["timestamp"])


def _pos(row) -> tuple[float, float]:
    return row["location"]["latitude"], row["location"]["longitude"]


def check_motion(rows, tick_s: float, slack_m: float, stops: bool = False) -> int:
    """Consecutive fixes are ~ speed x dt apart; returns how many pairs were checked.
    With `stops`, gaps (a turnaround at the destination) are allowed and skipped."""
    checked = 0
    for dev_rows in by_device(rows).values():
        for a, b in pairwise(dev_rows):
            dt = (_ts(b) - _ts(a)).total_seconds()
            if stops and dt > tick_s:
                assert a["speed"] < 10  # arrived, parked, then set off again:
                assert b["speed"] <= MAX_BRAKE * tick_s * 3.6 + 0.1
                continue
            assert dt == pytest.approx(tick_s)
            d = haversine_m(*_pos(a), *_pos(b))
            v = b["speed"] / 3.6
            # Constant acceleration within a tick: |path - v_end*dt| <= a_max*dt^2/2, plus the
            # rounding of coordinates. The straight line between fixes is never longer than the
            # path; it is shorter where a tick spans a bend, so the lower bound is only checked on
            # (nearly) straight road.
            tolerance = MAX_BRAKE * dt * dt / 2 + 0.005 * d + slack_m
            assert d <= v * dt + tolerance, (a, b)
            if angle_diff(a["direction"], b["direction"]) < 5:
                assert d >= v * dt - tolerance, (a, b)
            checked += 1
    return checked


def check_bearing(rows) -> int:
    checked = 0
    for dev_rows in by_device(rows).values():
        for a, b in pairwise(dev_rows):
            assert 0.0 <= b["direction"] < 360.0
            d = haversine_m(*_pos(a), *_pos(b))
            if d > 1:  # metres: even crawling traffic moves this far per tick
                # Coordinates are rounded to 1e-6 degrees (~0.1 m): allow that much sideways.
                allowed = math.degrees(math.atan2(0.2, d)) + 0.1
                assert angle_diff(bearing_deg(*_pos(a), *_pos(b)), b["direction"]) <= allowed
                checked += 1
    return checked


def check_speed(rows) -> None:
    max_limit_kmh = max(ROUTE.limits_ms) * 3.6
    for dev_rows in by_device(rows).values():
        for a, b in pairwise(dev_rows):
            dt = (_ts(b) - _ts(a)).total_seconds()
            assert 0 <= b["speed"] <= max_limit_kmh * 1.04 * 1.03 + 0.1  # driver factor, wander
            assert abs(b["speed"] - a["speed"]) / 3.6 <= MAX_BRAKE * dt + 0.01
            assert b["odometerKm"] >= a["odometerKm"]
            assert b["fuelLevelPct"] <= a["fuelLevelPct"]


def coherent(cond: str, temp: float, precip: float, humidity: float, wind: float, aqi: int) -> None:
    assert cond in {"Clear", "Cloudy", "Fog", "Rain", "Snow"}
    if cond == "Snow":
        assert temp <= SNOW_MAX_C
    if cond in {"Clear", "Cloudy", "Fog"}:
        assert precip == 0
    else:
        assert precip > 0
    assert 0 <= humidity <= 100 and wind >= 0 and 1 <= aqi <= 10


def check_weather(rows) -> None:
    per_station: dict[str, list] = {}
    for r in rows:
        coherent(
            r["weatherCondition"], r["temperature"], r["precipitation"], r["humidity"],
            r["windSpeed"], r["airQualityIndex"],
        )  # fmt: skip
        per_station.setdefault(r["stationId"], []).append(r)
    for readings in per_station.values():
        readings.sort(key=_ts)
        for a, b in pairwise(readings):
            minutes = (_ts(b) - _ts(a)).total_seconds() / 60
            assert abs(b["temperature"] - a["temperature"]) <= 0.15 + 0.1 * minutes


@settings(max_examples=5, deadline=None, phases=FAST)
@given(runs)
def test_physics_properties_hold_for_any_seed_start_and_tick(params):
    _, records = run_memory(max_events=MAX_EVENTS, **params)
    rows = by_topic(records)
    assert check_motion(rows["vehicle_data"], params["tick_s"], slack_m=0.5) > 100
    # GPS adds a receiver error of up to 0.4 x accuracy (<= 4 m) to each fix.
    assert check_motion(rows["gps_data"], params["tick_s"], slack_m=2 * 4.0 + 0.5) > 100
    assert check_bearing(rows["vehicle_data"]) > 50
    check_speed(rows["vehicle_data"])
    assert rows["weather_data"]
    check_weather(rows["weather_data"])


def test_full_journeys_obey_the_physics(journey_3):
    _, records = journey_3
    rows = by_topic(records)
    assert check_motion(rows["vehicle_data"], 1.0, slack_m=0.5) > 10_000
    assert check_bearing(rows["vehicle_data"]) > 10_000
    check_speed(rows["vehicle_data"])
    check_weather(rows["weather_data"])


def test_checks_can_fail():
    """The motion and bearing checks catch a teleporting or mis-pointed vehicle."""
    _, records = run_memory(vehicles=1, max_events=2_000)
    rows = by_topic(records)["vehicle_data"]
    jumped = [dict(r) for r in rows]
    jumped[500] = {**jumped[500], "location": {"latitude": 51.6, "longitude": -0.5}}
    with pytest.raises(AssertionError):
        check_motion(jumped, 1.0, slack_m=0.5)
    turned = [{**r, "direction": (r["direction"] + 90) % 360} for r in rows]
    with pytest.raises(AssertionError):
        check_bearing(turned)


def test_positions_stay_on_the_route(journey_3):
    _, records = journey_3
    rows = by_topic(records)
    for topic, corridor_m in (("vehicle_data", 1.0), ("gps_data", 6.0)):
        for r in rows[topic][::17]:
            assert ROUTE.distance_to_route_m(*_pos(r)) < corridor_m, r
    assert ROUTE.distance_to_route_m(51.75, -0.5) > 10_000  # the check can fail


def test_route_is_a_real_london_birmingham_road():
    assert 180_000 <= ROUTE.length <= 200_000
    assert ROUTE.segments >= 40
    start, end = (ROUTE.lats[0], ROUTE.lons[0]), (ROUTE.lats[-1], ROUTE.lons[-1])
    assert haversine_m(*start, 51.5074, -0.1278) < 2_000  # central London
    assert haversine_m(*end, 52.4797, -1.9030) < 2_000  # central Birmingham
    assert ROUTE.length > 1.1 * haversine_m(*start, *end)  # a road, not a straight line


def test_journeys_run_end_to_end_in_both_directions(journey_3):
    _, records = journey_3
    ends = ((ROUTE.lats[0], ROUTE.lons[0]), (ROUTE.lats[-1], ROUTE.lons[-1]))
    vehicles = by_device(by_topic(records)["vehicle_data"])
    for rows in vehicles.values():
        first, last = _pos(rows[0]), _pos(rows[-1])
        assert any(haversine_m(*first, *e) < 5 for e in ends)
        assert any(haversine_m(*last, *e) < 5 for e in ends)
        assert haversine_m(*first, *last) > 150_000
        km = rows[-1]["odometerKm"] - rows[0]["odometerKm"]
        assert km == pytest.approx(ROUTE.length / 1000, rel=0.01)
        hours = (_ts(rows[-1]) - _ts(rows[0])).total_seconds() / 3600
        assert 1.4 < hours < 4.0  # ~180 km of city, A-road and motorway
        assert rows[-1]["speed"] < 10  # rolls to a stop at the destination
    assert {_pos(r[0])[0] < 52 for r in vehicles.values()} == {True, False}


def test_cameras_never_move_and_report_each_passage_once(journey_3):
    _, records = journey_3
    cams = {c.id: (round(c.latitude, 6), round(c.longitude, 6)) for c in ROUTE.cameras()}
    seen = set()
    for r in by_topic(records)["traffic_data"]:
        assert _pos(r) == cams[r["cameraId"]]
        assert (r["deviceId"], r["cameraId"]) not in seen
        seen.add((r["deviceId"], r["cameraId"]))
    assert len(seen) == 3 * len(cams)  # each vehicle passes every camera once


def test_per_device_event_time_only_moves_forward(journey_3):
    _, records = journey_3
    last: dict[str, datetime] = {}
    for _topic, _key, value in records:
        r = orjson.loads(value)
        t = _ts(r)
        assert t >= last.get(r["deviceId"], t)
        last[r["deviceId"]] = t


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32), s=st.floats(0, ROUTE.length - 2_000), t=st.floats(1.7e9, 1.9e9))
def test_weather_fields_are_smooth_in_space_and_coherent(seed, s, t):
    w = WeatherModel(seed, 5.0, ROUTE.length)
    a, b = w.at(s, t), w.at(s + 1_000, t)
    # Steepest possible gradient: 3 C x (1 + 1/2 + 1/3) x 2 pi / 60 km, heat island 0.075 C/km,
    # plus rounding to 0.1 C.
    assert abs(a.temperature - b.temperature) <= 0.58 + 0.075 + 0.11
    for r in (a, b):
        coherent(
            r.condition, r.temperature, r.precipitation, r.humidity, r.wind_speed,
            r.air_quality_index,
        )  # fmt: skip


def test_incident_status_never_goes_backwards():
    _, records = run_memory(vehicles=5, seed=3, departure_window_s=600, tick_s=2.0)
    rows = sorted(by_topic(records)["emergency_data"], key=_ts)
    assert len({r["incidentId"] for r in rows}) >= 2
    last_rank: dict[str, int] = {}
    for r in rows:  # across all vehicles, in event time
        rank = STATUS_RANK[r["status"]]
        assert rank >= last_rank.get(r["incidentId"], rank)
        last_rank[r["incidentId"]] = rank
    places: dict[str, tuple] = {}
    for r in rows:
        assert places.setdefault(r["incidentId"], (_pos(r), r["type"])) == (_pos(r), r["type"])
        assert ROUTE.distance_to_route_m(*_pos(r)) < 1


def test_traffic_slows_near_an_active_incident():
    _, records = run_memory(vehicles=1, seed=5)
    rows = by_topic(records)
    news = [r for r in rows["emergency_data"] if r["status"] in ("Reported", "Active")]
    assert news, "vehicle 0 always meets the incident anchored ahead of it"
    inc = _pos(news[0])
    near = [r["speed"] for r in rows["vehicle_data"] if haversine_m(*_pos(r), *inc) < 1_000]
    assert near and min(near) <= 62  # the loosest incident speed cap is 60 km/h (breakdowns)


def _jsonl(**kw) -> bytes:
    buf = io.BytesIO()
    run_simulation(SimulationConfig(as_fast_as_possible=True, **kw), JsonlSink(buf))
    return buf.getvalue()


@settings(max_examples=3, deadline=None, phases=FAST)
@given(seed=st.integers(0, 2**32), vehicles=st.integers(1, 5))
def test_same_seed_same_bytes_different_seed_different_bytes(seed, vehicles):
    kw = dict(vehicles=vehicles, max_events=3_000, duplicate_rate=0.02, malformed_rate=0.02)
    first = _jsonl(seed=seed, **kw)
    assert first == _jsonl(seed=seed, **kw)
    assert first != _jsonl(seed=seed + 1, **kw)
    assert first.count(b"\n") >= 3_000


def test_continuous_mode_turns_round_and_keeps_driving():
    summary, records = run_memory(vehicles=1, continuous=True, tick_s=2.0, max_events=20_000)
    rows = by_topic(records)["vehicle_data"]
    assert summary.stopped_by == "max_events"
    lats = [r["location"]["latitude"] for r in rows]
    # London -> Birmingham -> London and on: it reaches Birmingham once and comes back south.
    assert max(lats) > 52.47 and lats[0] < 51.52 and lats[-1] < max(lats) - 0.3
    assert rows[-1]["odometerKm"] - rows[0]["odometerKm"] > 2 * ROUTE.length / 1000
    assert check_motion(rows, 2.0, slack_m=0.5, stops=True) > 1_000
