"""The simulated world: route, fleet, cameras, stations, incidents; one `tick` emits its records.

Per vehicle and tick, in this order (so each device's event time only moves forward): a camera
passage (at the interpolated crossing time), a weather reading (every weather interval), incident
news (on first hearing and on each status change within the alert radius), then vehicle_data and
gps_data at the tick time. Dropouts silence the vehicle's own feeds; cameras still see it.
"""

from __future__ import annotations

import math
import random
import uuid
from bisect import bisect_left, bisect_right
from datetime import UTC, datetime

from iot_contracts import EMERGENCY, GPS, TRAFFIC, VEHICLE, WEATHER
from simulator import feeds, incidents
from simulator.clock import iso
from simulator.faults import Emitter
from simulator.fleet import VehicleSpec, build_fleet
from simulator.kinematics import VehicleState, congestion_factor, rush_hour
from simulator.route import Route, default_route
from simulator.weather import WeatherModel, base_temperature_c

VT, GT, TT, WT, ET = VEHICLE.topic, GPS.topic, TRAFFIC.topic, WEATHER.topic, EMERGENCY.topic
SLOW_BEFORE_M = 2_000.0  # incidents slow traffic this far upstream...
SLOW_AFTER_M = 300.0  # ...to just past them
TURNAROUND_S = 600.0  # continuous mode: dwell at the destination before driving back
MEAN_DROPOUT_S = 60.0


class World:
    def __init__(
        self,
        *,
        vehicles: int,
        seed: int,
        start_us: int,
        tick_us: int,
        weather_interval_s: float,
        departure_window_s: float,
        dropout_rate: float,
        continuous: bool,
        namespace: uuid.UUID,
        route: Route | None = None,
    ) -> None:
        self.route = r = route or default_route()
        self.seed = seed
        self.start_us = start_us
        self.tick_us = tick_us
        self.dt = tick_us / 1e6
        self.continuous = continuous
        self.namespace = namespace
        self.fleet: tuple[VehicleSpec, ...] = build_fleet(
            vehicles, seed, namespace, int(departure_window_s / self.dt)
        )
        self.incidents = list(
            incidents.schedule(self.fleet, seed, namespace, start_us, tick_us, r.length, r.point_at)
        )
        self._inc_s = [i.s for i in self.incidents]
        self._inc_rng = random.Random(f"{seed}/incidents/continuous")
        self.cameras = r.cameras()
        self._cams_dir = {True: self.cameras, False: tuple(reversed(self.cameras))}
        self.stations = r.weather_stations()
        # Nearest station by route position: boundaries halfway between neighbours.
        self._station_edges = [
            (a.s + b.s) / 2 for a, b in zip(self.stations, self.stations[1:], strict=False)
        ]
        start = datetime.fromtimestamp(start_us / 1e6, UTC)
        self.weather = WeatherModel(seed, base_temperature_c(start.month), r.length)
        self._weather_cache: dict[int, tuple] = {}
        self.weather_every = max(1, round(weather_interval_s / self.dt))
        self._noise = random.Random(f"{seed}/gps")
        self._drop_rng = random.Random(f"{seed}/dropouts")
        mean_ticks = MEAN_DROPOUT_S / self.dt
        self.dropout_p = (
            1.0 if dropout_rate >= 1 else dropout_rate / (mean_ticks * (1.0 - dropout_rate))
        )
        phases = random.Random(f"{seed}/drivers")
        self.states = [VehicleState(spec, r, phases.uniform(0, 2 * math.pi)) for spec in self.fleet]
        self._keys = [spec.device_id.encode() for spec in self.fleet]
        self._pending = sorted(range(len(self.fleet)), key=lambda i: (self.fleet[i].depart_tick, i))
        self._next_pending = 0
        self.active: list[int] = []
        self._resume: dict[int, int] = {}  # continuous mode: vehicle -> tick it sets off again
        self.finished = 0
        self._id_prefix = str(uuid.uuid5(namespace, "events"))[:24]
        self.events = 0  # records generated (before faults)
        self.max_events: int | None = None

    # -- ids and time ----------------------------------------------------------------------------

    def _id(self) -> str:
        self.events += 1
        return f"{self._id_prefix}{self.events:012x}"

    @property
    def done(self) -> bool:
        return not self.active and not self._resume and self._next_pending >= len(self._pending)

    @property
    def limit_reached(self) -> bool:
        return self.max_events is not None and self.events >= self.max_events

    # -- the tick --------------------------------------------------------------------------------

    def tick(self, k: int, out: Emitter) -> None:
        """Advance every moving vehicle by one tick (tick k is at start + k * dt) and emit."""
        t_us = self.start_us + k * self.tick_us
        pending = self._pending
        while (
            self._next_pending < len(pending)
            and self.fleet[pending[self._next_pending]].depart_tick <= k
        ):
            self._depart(pending[self._next_pending], k)
            self._next_pending += 1
        if self._resume:
            for i, at in list(self._resume.items()):
                if at <= k:
                    del self._resume[i]
                    self._start_again(i, k, t_us)
        if not self.active:
            return
        ts = iso(t_us)
        hour = (t_us / 3.6e9) % 24.0
        rush = rush_hour(hour)
        self._weather_cache.clear()
        length = self.route.length
        dt = self.dt
        still: list[int] = []
        for i in self.active:
            if self.limit_reached:
                still.append(i)
                continue
            st = self.states[i]
            spec = st.spec
            key = self._keys[i]
            s0 = st.s
            target = (
                st.limit_ahead()
                * spec.driver_factor
                * (1.0 + 0.03 * math.sin(k * dt / 90.0 + st.phase))
            )
            target *= congestion_factor(s0, length, rush)
            window = self._window(s0)
            if window:
                target = self._incident_cap(st, window, t_us, target)
            v0 = st.v
            st.step(dt, target)
            offline = self._offline(st, k)
            # Cameras report what passed them between the last tick and this one.
            cams = self._cams_dir[st.north]
            while st.cam_next < len(cams):
                cam = cams[st.cam_next]
                if (cam.s > st.s) if st.north else (cam.s < st.s):
                    break
                st.cam_next += 1
                self._camera(out, cam, st, key, s0, v0, t_us)
            if not offline:
                if k >= st.weather_due:
                    st.weather_due = k + self.weather_every
                    self._weather(out, st, key, t_us, ts)
                self._news(out, st, key, t_us, ts)
                self._telemetry(out, st, key, t_us, ts)
            else:
                self._weather_news_dropped(st, k)
            if st.arrived:
                self._arrive(i, k)
            else:
                still.append(i)
        self.active = still

    # -- vehicles come and go --------------------------------------------------------------------

    def _depart(self, i: int, k: int) -> None:
        self.states[i].weather_due = k
        self.active.append(i)

    def _arrive(self, i: int, k: int) -> None:
        if self.continuous:
            self._resume[i] = k + round(TURNAROUND_S / self.dt)
        else:
            self.finished += 1

    def _start_again(self, i: int, k: int, t_us: int) -> None:
        st = self.states[i]
        st.turn_around()
        st.weather_due = k
        st.fuel_pct = max(st.fuel_pct, self._inc_rng.uniform(80.0, 100.0))  # refuelled at the depot
        if i % incidents.EVERY == 0:
            self._add_incident(st, t_us)
        self.active.append(i)

    def _add_incident(self, st: VehicleState, t_us: int) -> None:
        """Continuous mode: a fresh incident ahead of an anchor vehicle on each new journey."""
        rng = self._inc_rng
        r = self.route
        ahead = rng.uniform(0.15, 0.5) * r.length
        s = ahead if st.north else r.length - ahead
        kind = rng.choice(sorted(incidents.TYPES))
        cap, templates = incidents.TYPES[kind]
        reported = t_us + int(rng.uniform(0, 60) * 1e6)
        active = reported + int(rng.uniform(2, 12) * 60e6)
        lat, lon = r.point_at(s)
        inc = incidents.Incident(
            incident_id=f"incident-{uuid.uuid5(self.namespace, f'incident/{len(self.incidents)}')}",
            type=kind, s=s, latitude=round(lat, 6), longitude=round(lon, 6), northbound=st.north,
            reported_us=reported, active_us=active,
            resolved_us=active + int(rng.uniform(45, 120) * 60e6),
            description=rng.choice(templates).format(n=rng.randint(2, 4), lane=1, lane2=2),
            cap_ms=cap / 3.6,
        )  # fmt: skip
        pos = bisect_right(self._inc_s, s)
        self._inc_s.insert(pos, s)
        self.incidents.insert(pos, inc)

    def _offline(self, st: VehicleState, k: int) -> bool:
        if k <= st.dropout_until:
            return True
        if self.dropout_p and self._drop_rng.random() < self.dropout_p:
            dur = max(1, round(self._drop_rng.uniform(0.2, 1.8) * MEAN_DROPOUT_S / self.dt))
            st.dropout_until = k + dur - 1
            self._out_ledger.dropout_episodes += 1
            return True
        return False

    def _weather_news_dropped(self, st: VehicleState, k: int) -> None:
        """Count what the offline vehicle would have sent (weather keeps its schedule)."""
        dropped = self._out_ledger.dropped
        dropped[VT] += 1
        dropped[GT] += 1
        if k >= st.weather_due:
            st.weather_due = k + self.weather_every
            dropped[WT] += 1

    # -- the five feeds --------------------------------------------------------------------------

    def _telemetry(self, out: Emitter, st: VehicleState, key: bytes, t_us: int, ts: str) -> None:
        spec = st.spec
        lat, lon = st.lat, st.lon
        speed = round(st.v * 3.6, 2)
        heading = round(st.heading, 2) % 360.0
        device = spec.device_id
        out.emit(VT, key, feeds.vehicle(
            self._id(), device, ts, round(lat, 6), round(lon, 6), speed, heading, spec.make,
            spec.model, spec.year, spec.fuel_type, round(st.odometer_km, 3), round(st.fuel_pct, 2),
        ), t_us)  # fmt: skip
        if self.limit_reached:
            return
        # The GPS unit: same fix plus a small receiver error, worse among city buildings.
        length = self.route.length
        urban = max(0.0, 1.0 - min(st.s, length - st.s) / 20_000.0)
        rng = self._noise
        accuracy = round(3.0 + 5.0 * urban + rng.random() * 1.5, 1)
        err = accuracy * 0.4 / 111_195.0
        g_lat = lat + (rng.random() * 2 - 1) * err
        g_lon = lon + (rng.random() * 2 - 1) * err / math.cos(math.radians(lat))
        out.emit(GT, key, feeds.gps(
            self._id(), device, ts, round(g_lat, 6), round(g_lon, 6), speed, heading,
            spec.vehicle_type, accuracy,
        ), t_us)  # fmt: skip

    def _camera(
        self, out, cam, st: VehicleState, key: bytes, s0: float, v0: float, t_us: int
    ) -> None:
        if self.limit_reached:
            return
        # Interpolate when (and how fast) the vehicle crossed the camera line within this tick.
        moved = abs(st.s - s0)
        f = 1.0 if moved <= 0 else min(1.0, abs(cam.s - s0) / moved)
        t_cross = t_us - self.tick_us + max(1, round(f * self.tick_us))
        speed = round((v0 + (st.v - v0) * f) * 3.6, 1)
        ts = iso(t_cross)
        stamp = ts[:19].replace("-", "").replace(":", "")
        out.emit(TT, key, feeds.traffic(
            self._id(), st.spec.device_id, ts, cam.id, round(cam.latitude, 6),
            round(cam.longitude, 6), f"s3://iot-traffic-snapshots/{cam.id}/{stamp}-{key.decode()}.jpg",
            speed,
        ), t_cross)  # fmt: skip

    def _weather(self, out: Emitter, st: VehicleState, key: bytes, t_us: int, ts: str) -> None:
        if self.limit_reached:
            return
        idx = bisect_left(self._station_edges, st.s)
        reading = self._weather_cache.get(idx)
        if reading is None:
            station = self.stations[idx]
            reading = self._weather_cache[idx] = (station, self.weather.at(station.s, t_us / 1e6))
        station, w = reading
        out.emit(WT, key, feeds.weather(
            self._id(), st.spec.device_id, ts, station.id, round(station.latitude, 6),
            round(station.longitude, 6), w.temperature, w.condition, w.precipitation, w.wind_speed,
            w.humidity, w.air_quality_index,
        ), t_us)  # fmt: skip

    def _window(self, s: float) -> range:
        lo = bisect_left(self._inc_s, s - incidents.ALERT_RADIUS_M)
        hi = bisect_right(self._inc_s, s + incidents.ALERT_RADIUS_M)
        return range(lo, hi)

    def _news(self, out: Emitter, st: VehicleState, key: bytes, t_us: int, ts: str) -> None:
        """Announce incidents within the alert radius when first heard of and on status changes."""
        window = self._window(st.s)
        if not window:
            if st.seen:
                st.seen = {}
            return
        seen = {}
        for j in window:
            inc = self.incidents[j]
            status = inc.status_at(t_us)
            prev = st.seen.get(inc.incident_id)
            if status is not None and status != prev and not self.limit_reached:
                out.emit(ET, key, feeds.emergency(
                    self._id(), st.spec.device_id, ts, inc.incident_id, inc.type, inc.latitude,
                    inc.longitude, status, inc.description,
                ), t_us)  # fmt: skip
                prev = status
            if prev is not None:
                seen[inc.incident_id] = prev
        st.seen = seen

    def _incident_cap(self, st: VehicleState, window: range, t_us: int, target: float) -> float:
        """Slow down approaching a blocking incident on our side; a little on the other side."""
        for j in window:
            inc = self.incidents[j]
            if not inc.blocking(t_us):
                continue
            ahead = (inc.s - st.s) if st.north else (st.s - inc.s)
            if -SLOW_AFTER_M <= ahead <= SLOW_BEFORE_M:
                cap = inc.cap_ms if inc.northbound == st.north else max(inc.cap_ms, 0.75 * target)
                target = min(target, cap)
        return target

    def bind(self, out: Emitter) -> None:
        self._out_ledger = out.ledger
