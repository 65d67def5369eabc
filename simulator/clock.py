"""Simulated time: epoch microseconds, ISO-8601 UTC formatting and pacing against the wall clock."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

# Monday 5 January 2026, 08:00 UTC (= London time in winter): morning rush hour, winter weather.
DEFAULT_START = datetime(2026, 1, 5, 8, 0, 0, tzinfo=UTC)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_us(dt: datetime) -> int:
    if dt.tzinfo is None:
        raise ValueError("start time must carry a UTC offset (e.g. 2026-01-05T08:00:00Z)")
    return (dt - _EPOCH) // timedelta(microseconds=1)


def iso(t_us: int) -> str:
    """'2026-01-05T08:00:00.000000+00:00': always microseconds and an explicit offset."""
    return (_EPOCH + timedelta(microseconds=t_us)).isoformat(timespec="microseconds")


def parse_time(text: str) -> datetime:
    """ISO-8601 with an offset or Z; naive times are rejected (UTC must be explicit)."""
    dt = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if dt.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset; add Z or +00:00")
    return dt.astimezone(UTC)


class Pacer:
    """Holds the loop back so simulated time runs `speedup` times faster than the wall clock."""

    def __init__(self, speedup: float | None, stop: threading.Event) -> None:
        self.speedup = speedup  # None = as fast as possible
        self.stop = stop
        self.t0 = time.monotonic()

    def wait_for(self, sim_elapsed_s: float) -> None:
        if self.speedup is None:
            return
        delay = self.t0 + sim_elapsed_s / self.speedup - time.monotonic()
        if delay > 0:
            self.stop.wait(delay)
