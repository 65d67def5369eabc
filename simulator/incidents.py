"""Emergency incidents on the route: a place, a type and a lifecycle that only moves forward.

Reported -> Active -> Resolved at fixed, seeded times. Every `EVERY`-th vehicle "anchors" one
incident on the road ahead of it, reported as it departs, so any single-vehicle run meets at least
one; the rest of the fleet meets them too when their paths and times overlap.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass

from simulator.fleet import VehicleSpec

REPORTED, ACTIVE, RESOLVED = "Reported", "Active", "Resolved"
STATUSES = (REPORTED, ACTIVE, RESOLVED)
STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}
EVERY = 4  # one anchored incident per this many vehicles
ALERT_RADIUS_M = 5_000.0  # vehicles hear of incidents this close
LINGER_S = 3_600.0  # resolved incidents are still announced for an hour

# type -> (speed cap in the affected stretch km/h, description templates)
TYPES: dict[str, tuple[float, tuple[str, ...]]] = {
    "Accident": (
        30.0,
        ("Collision involving {n} vehicles", "Vehicle overturned, lane {lane} closed"),
    ),
    "Breakdown": (
        60.0,
        ("Broken-down vehicle in lane {lane}", "Stranded HGV on the hard shoulder"),
    ),
    "Fire": (25.0, ("Vehicle fire, lane {lane} closed", "Grass fire beside the carriageway")),
    "Medical": (
        50.0,
        ("Ambulance attending a medical emergency", "Driver taken ill, lane {lane} blocked"),
    ),
    "Police": (
        40.0,
        ("Police incident, lanes {lane} and {lane2} closed", "Police escort on the road"),
    ),
}


@dataclass(frozen=True)
class Incident:
    incident_id: str
    type: str
    s: float  # metres from the London end
    latitude: float
    longitude: float
    northbound: bool  # carriageway the incident blocks; the other side only rubbernecks
    reported_us: int  # epoch microseconds
    active_us: int
    resolved_us: int
    description: str
    cap_ms: float  # speed cap near it while not resolved, m/s

    def status_at(self, t_us: int) -> str | None:
        """The status announced at t, or None before it is reported / after it stops being news."""
        if t_us < self.reported_us:
            return None
        if t_us < self.active_us:
            return REPORTED
        if t_us < self.resolved_us:
            return ACTIVE
        if t_us < self.resolved_us + int(LINGER_S * 1e6):
            return RESOLVED
        return None

    def blocking(self, t_us: int) -> bool:
        return self.reported_us <= t_us < self.resolved_us


def schedule(
    fleet: tuple[VehicleSpec, ...],
    seed: int,
    namespace: uuid.UUID,
    start_us: int,
    tick_us: int,
    route_length: float,
    point_at,  # (s) -> (lat, lon)
) -> tuple[Incident, ...]:
    """Incidents sorted by route position; each anchored 15-50 % of the way along a vehicle's trip."""
    rng = random.Random(f"{seed}/incidents")
    out = []
    for spec in fleet[::EVERY]:
        ahead = rng.uniform(0.15, 0.5) * route_length
        s = ahead if spec.northbound else route_length - ahead
        kind = rng.choice(sorted(TYPES))
        cap_kmh, templates = TYPES[kind]
        reported = start_us + spec.depart_tick * tick_us + int(rng.uniform(0, 60) * 1e6)
        active = reported + int(rng.uniform(2, 12) * 60e6)
        resolved = active + int(rng.uniform(45, 120) * 60e6)
        lane = rng.randint(1, 3)
        lat, lon = point_at(s)
        n = len(out)
        out.append(
            Incident(
                incident_id=f"incident-{uuid.uuid5(namespace, f'incident/{n}')}",
                type=kind,
                s=s,
                latitude=round(lat, 6),
                longitude=round(lon, 6),
                northbound=spec.northbound,
                reported_us=reported,
                active_us=active,
                resolved_us=resolved,
                description=rng.choice(templates).format(
                    n=rng.randint(2, 4), lane=lane, lane2=min(3, lane + 1)
                ),
                cap_ms=cap_kmh / 3.6,
            )
        )
    return tuple(sorted(out, key=lambda i: i.s))
