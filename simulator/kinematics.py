"""Vehicle motion along the route: bounded acceleration towards a target speed, position by distance.

Every tick: target = min(limit with braking look-ahead, congestion, incidents) x driver factor;
the speed moves towards it by at most max_accel (max_brake) x dt; the vehicle advances by the mean
of the old and new speed x dt (the exact distance under constant acceleration), so consecutive fixes
are |new speed x dt - distance| <= max(accel, brake) x dt^2 / 2 apart.
"""

from __future__ import annotations

import math

from simulator.fleet import VehicleSpec
from simulator.geo import bearing_deg
from simulator.route import Route

MAX_BRAKE = 3.0  # m/s^2, firm but not emergency braking
COMFORT_BRAKE = 1.2  # m/s^2, planned slowing for a lower limit or the journey's end
LOOKAHEAD_M = 900.0
LONDON_RADIUS_M = 25_000.0  # congestion fades out this far from each end
BIRMINGHAM_RADIUS_M = 15_000.0


def rush_hour(hour: float) -> float:
    """0..1, peaks at 08:15 and 17:30 local time."""
    return math.exp(-(((hour - 8.25) / 1.2) ** 2)) + math.exp(-(((hour - 17.5) / 1.4) ** 2))


def congestion_factor(s: float, length: float, rush: float) -> float:
    """Share of the limit traffic allows: 1 in open country, down to ~0.3 in a city at rush hour."""
    near = max(0.0, 1.0 - s / LONDON_RADIUS_M, 1.0 - (length - s) / BIRMINGHAM_RADIUS_M)
    return 1.0 - near * (0.2 + 0.5 * rush)


class VehicleState:
    """Where one vehicle is and how fast it goes; `s` is metres from the London end."""

    __slots__ = (
        "arrived",
        "cam_next",
        "dropout_until",
        "fuel_pct",
        "heading",
        "lat",
        "lon",
        "north",
        "odometer_km",
        "phase",
        "route",
        "s",
        "seen",
        "seg",
        "spec",
        "v",
        "weather_due",
    )  # fmt: skip

    def __init__(self, spec: VehicleSpec, route: Route, phase: float) -> None:
        self.spec = spec
        self.route = route
        self.north = spec.northbound
        self.s = 0.0 if self.north else route.length
        self.v = 0.0
        self.seg = route.segment_at(self.s)
        self.lat, self.lon = route.point_at(self.s, self.seg)
        bearing = route.seg_bearings[self.seg]
        self.heading = bearing if self.north else (bearing + 180.0) % 360.0
        self.odometer_km = spec.start_odometer_km
        self.fuel_pct = spec.start_fuel_pct
        self.arrived = False
        self.phase = phase  # the driver's own speed wander
        self.cam_next = 0  # index into this direction's camera list
        self.seen: dict[str, str] = {}  # incident id -> last status announced to this vehicle
        self.weather_due = 0  # tick of the next weather reading
        self.dropout_until = -1  # last tick of the current dropout

    def turn_around(self) -> None:
        """Start the journey back (continuous mode)."""
        self.north = not self.north
        self.arrived = False
        self.cam_next = 0
        self.seen = {}

    def remaining(self) -> float:
        return self.route.length - self.s if self.north else self.s

    def limit_ahead(self) -> float:
        """The speed that respects this segment's limit and lets us brake for lower ones ahead."""
        r = self.route
        limits, cum, corner = r.limits_ms, r.cum, r.corner_ms
        seg = self.seg
        allowed = limits[seg]
        two_b = 2 * COMFORT_BRAKE
        if self.north:  # segments seg+1.. start at waypoints seg+1..
            j = seg + 1
            while j <= r.segments:
                d = cum[j] - self.s
                if d > LOOKAHEAD_M:
                    break
                v = corner[j] if j == r.segments else min(limits[j], corner[j])
                if v < allowed:
                    allowed = min(allowed, math.sqrt(v * v + two_b * d))
                j += 1
        else:  # going south, segment j is entered at waypoint j+1
            j = seg
            while j >= 0:
                d = self.s - cum[j]
                if d > LOOKAHEAD_M:
                    break
                v = corner[j] if j == 0 else min(limits[j - 1], corner[j])
                if v < allowed:
                    allowed = min(allowed, math.sqrt(v * v + two_b * d))
                j -= 1
        # ... and stop gently at the destination.
        return min(allowed, math.sqrt(2 * COMFORT_BRAKE * self.remaining()) + 0.5)

    def step(self, dt: float, target: float) -> float:
        """Advance one tick towards `target` m/s; returns the distance travelled (metres)."""
        v0 = self.v
        v1 = (
            min(target, v0 + self.spec.max_accel * dt)
            if target > v0
            else max(target, v0 - MAX_BRAKE * dt)
        )
        v1 = max(v1, 0.0)
        d = (v0 + v1) * 0.5 * dt
        rem = self.remaining()
        if d >= rem:  # arrive: cover exactly what is left, ending at the speed that implies
            d = rem
            v1 = max(0.0, min(v1, 2 * rem / dt - v0))
            self.arrived = True
        self.v = v1
        r = self.route
        cum = r.cum
        if self.north:
            self.s = s = min(self.s + d, r.length)
            seg = self.seg
            while seg < r.segments - 1 and s >= cum[seg + 1]:
                seg += 1
        else:
            self.s = s = max(self.s - d, 0.0)
            seg = self.seg
            while seg > 0 and s < cum[seg]:
                seg -= 1
        self.seg = seg
        lat0, lon0 = self.lat, self.lon
        self.lat, self.lon = lat, lon = r.point_at(s, seg)
        if d > 0.05:  # the bearing actually travelled; kept while standing still
            self.heading = bearing_deg(lat0, lon0, lat, lon)
        km = d / 1000.0
        self.odometer_km += km
        # Consumption per km grows with aerodynamic drag at speed; a little extra in stop-start.
        kmh = v1 * 3.6
        self.fuel_pct = max(
            0.0, self.fuel_pct - km * self.spec.pct_per_km * (0.8 + 0.3 * (kmh / 110.0) ** 2)
        )
        return d
