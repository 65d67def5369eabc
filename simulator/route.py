"""The road as a polyline measured by distance: position, speed limit and nearest site at any metre."""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, cached_property

from simulator.geo import angle_diff, bearing_deg, haversine_m
from simulator.route_data import CAMERA_SITES, WAYPOINTS, WEATHER_STATIONS


@dataclass(frozen=True)
class Site:
    """A fixed place beside the route (a camera, a weather station) and where it falls along it."""

    id: str
    name: str
    latitude: float
    longitude: float
    s: float  # metres from the London end of the route


MOTORWAY_MS = 100 / 3.6


def corner_speed_ms(turn_deg: float) -> float:
    """Comfortable speed through a bend of this many degrees (lateral acceleration ~2 m/s^2)."""
    if turn_deg < 12:
        return float("inf")
    if turn_deg < 30:
        return 80 / 3.6
    if turn_deg < 60:
        return 45 / 3.6
    if turn_deg < 90:
        return 30 / 3.6
    return 20 / 3.6


class Route:
    """Waypoints with cumulative haversine distance; `s` runs 0 (London) .. length (Birmingham)."""

    def __init__(self, waypoints: tuple[tuple[str, float, float, float], ...] = WAYPOINTS) -> None:
        if len(waypoints) < 2:
            raise ValueError("a route needs at least two waypoints")
        self.names = tuple(w[0] for w in waypoints)
        self.lats = tuple(w[1] for w in waypoints)
        self.lons = tuple(w[2] for w in waypoints)
        # Segment i runs from waypoint i to i+1; its limit is the one written on waypoint i.
        self.limits_ms = tuple(w[3] / 3.6 for w in waypoints[:-1])
        cum = [0.0]
        for i in range(len(waypoints) - 1):
            cum.append(
                cum[-1]
                + haversine_m(self.lats[i], self.lons[i], self.lats[i + 1], self.lons[i + 1])
            )
        self.cum = tuple(cum)
        self.length = cum[-1]
        self.segments = len(waypoints) - 1
        self.seg_bearings = tuple(
            bearing_deg(self.lats[i], self.lons[i], self.lats[i + 1], self.lons[i + 1])
            for i in range(self.segments)
        )
        # Speed through each waypoint: sharp turns (roundabouts, junctions) must be taken slowly.
        # Motorway waypoints are exempt: their kinks come from the coarse polyline, the real road
        # curves gently there.
        self.corner_ms = (
            (float("inf"),)
            + tuple(
                corner_speed_ms(angle_diff(self.seg_bearings[j - 1], self.seg_bearings[j]))
                if min(self.limits_ms[j - 1], self.limits_ms[j]) < MOTORWAY_MS
                else float("inf")
                for j in range(1, self.segments)
            )
            + (float("inf"),)
        )

    def segment_at(self, s: float) -> int:
        """Index of the segment containing distance s (clamped to the route)."""
        return min(max(bisect_right(self.cum, s) - 1, 0), self.segments - 1)

    def point_at(self, s: float, seg: int | None = None) -> tuple[float, float]:
        """(lat, lon) at distance s; linear in lat/lon within a segment (segments are < 10 km)."""
        i = self.segment_at(s) if seg is None else seg
        c0 = self.cum[i]
        span = self.cum[i + 1] - c0
        f = 0.0 if span <= 0 else (s - c0) / span
        f = min(max(f, 0.0), 1.0)
        return (
            self.lats[i] + f * (self.lats[i + 1] - self.lats[i]),
            self.lons[i] + f * (self.lons[i + 1] - self.lons[i]),
        )

    def s_of_waypoint(self, name: str) -> float:
        return self.cum[self.names.index(name)]

    def project(self, lat: float, lon: float) -> float:
        """Distance along the route of the point nearest to (lat, lon) (coarse: 50 m steps)."""
        best_s, best_d = 0.0, float("inf")
        s = 0.0
        while s <= self.length:
            la, lo = self.point_at(s)
            d = haversine_m(lat, lon, la, lo)
            if d < best_d:
                best_s, best_d = s, d
            s += 50.0
        return best_s

    def distance_to_route_m(self, lat: float, lon: float) -> float:
        """Distance from a point to the polyline, metres (local flat projection per segment)."""
        kx = 111_195.0 * math.cos(math.radians(lat))
        ky = 111_195.0
        best = float("inf")
        for i in range(self.segments):
            ax, ay = (self.lons[i] - lon) * kx, (self.lats[i] - lat) * ky
            bx, by = (self.lons[i + 1] - lon) * kx, (self.lats[i + 1] - lat) * ky
            dx, dy = bx - ax, by - ay
            n = dx * dx + dy * dy
            f = 0.0 if n == 0 else min(1.0, max(0.0, -(ax * dx + ay * dy) / n))
            px, py = ax + f * dx, ay + f * dy
            best = min(best, math.hypot(px, py))
        return best

    @cached_property
    def _cameras(self) -> tuple[Site, ...]:
        out = []
        for name, cam_id in CAMERA_SITES:
            s = self.s_of_waypoint(name)
            lat, lon = self.point_at(s)
            out.append(Site(cam_id, name, lat, lon, s))
        return tuple(sorted(out, key=lambda c: c.s))

    @cached_property
    def _stations(self) -> tuple[Site, ...]:
        out = [
            Site(sid, name, lat, lon, self.project(lat, lon))
            for sid, name, lat, lon in WEATHER_STATIONS
        ]
        return tuple(sorted(out, key=lambda w: w.s))

    def cameras(self) -> tuple[Site, ...]:
        return self._cameras

    def weather_stations(self) -> tuple[Site, ...]:
        # Projecting the stations onto the route takes ~0.3 s; do it once per route.
        return self._stations


@cache
def default_route() -> Route:
    return Route()
