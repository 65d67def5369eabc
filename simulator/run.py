"""`run_simulation`: drive the world tick by tick into a sink until the journeys end or a limit hits."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime

from simulator.clock import DEFAULT_START, Pacer, iso, to_us
from simulator.faults import Emitter
from simulator.sinks import Sink
from simulator.summary import Ledger, RunSummary
from simulator.world import World

# Namespace of every id the simulator derives (uuid5), so ids are stable for a given config.
NAMESPACE = uuid.UUID("6f1c2a0e-5b7d-4d1e-9a8c-2f3b4c5d6e7f")


@dataclass(frozen=True)
class SimulationConfig:
    """What to simulate. Defaults: one full journey each, no faults, real-time pace."""

    vehicles: int = 1
    seed: int = 42
    start_time: datetime = DEFAULT_START
    speedup: float = 1.0  # simulated seconds per wall-clock second (ignored if as fast as possible)
    as_fast_as_possible: bool = False
    max_events: int | None = None  # stop after generating this many records (before faults)
    duration_s: float | None = None  # stop after this much wall-clock time
    continuous: bool = False  # vehicles turn round at the destination and keep driving
    tick_s: float = 1.0  # vehicle_data / gps_data interval
    weather_interval_s: float = 60.0
    departure_window_s: float = 600.0  # vehicles after the first leave within this window
    duplicate_rate: float = 0.0
    late_rate: float = 0.0
    max_lateness_s: float = 300.0
    malformed_rate: float = 0.0
    dropout_rate: float = 0.0  # share of time a vehicle's devices are offline

    def __post_init__(self) -> None:
        problems = []
        if self.vehicles < 1:
            problems.append(f"vehicles must be at least 1, got {self.vehicles}")
        if not self.as_fast_as_possible and not self.speedup > 0:
            problems.append(f"speedup must be positive, got {self.speedup}")
        if self.max_events is not None and self.max_events < 1:
            problems.append(f"max_events must be at least 1, got {self.max_events}")
        if self.duration_s is not None and not self.duration_s > 0:
            problems.append(f"duration_s must be positive, got {self.duration_s}")
        if not 0.01 <= self.tick_s <= 60:
            problems.append(f"tick_s must be within 0.01..60 seconds, got {self.tick_s}")
        if not self.weather_interval_s >= self.tick_s:
            problems.append("weather_interval_s must be at least tick_s")
        if self.departure_window_s < 0:
            problems.append("departure_window_s must not be negative")
        if self.max_lateness_s < 0:
            problems.append(f"max_lateness_s must not be negative, got {self.max_lateness_s}")
        for name in ("duplicate_rate", "late_rate", "malformed_rate", "dropout_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                problems.append(f"{name} must be between 0 and 1, got {value}")
        if self.start_time.tzinfo is None:
            problems.append("start_time must carry a UTC offset")
        if problems:
            raise ValueError("; ".join(problems))

    def fingerprint(self) -> str:
        """What decides the events (not how fast or how long they are produced)."""
        d = asdict(self)
        # Delivery faults (not dropouts) leave the world alone: a faulty run's valid records keep
        # the ids of the clean run's, so readers can compare them.
        for runtime in (
            "speedup", "as_fast_as_possible", "max_events", "duration_s",
            "duplicate_rate", "late_rate", "max_lateness_s", "malformed_rate",
        ):  # fmt: skip
            d.pop(runtime)
        d["start_time"] = self.start_time.isoformat()
        return repr(sorted(d.items()))


@dataclass(frozen=True)
class Progress:
    events: int  # records handed to the sink so far
    elapsed_s: float
    events_per_s: float
    sim_time: str
    active_vehicles: int
    finished_vehicles: int
    vehicles: int
    extra: dict = field(default_factory=dict)


def run_simulation(
    config: SimulationConfig,
    sink: Sink,
    *,
    progress: Callable[[Progress], None] | None = None,
    progress_interval_s: float = 1.0,
    stop: threading.Event | None = None,
) -> RunSummary:
    """Run the simulation into `sink`; blocks until the journeys end, max_events, duration or `stop`.

    The sink is opened here and closed (flushed) before returning, also on error or stop.
    """
    stop = stop or threading.Event()
    namespace = uuid.uuid5(NAMESPACE, config.fingerprint())
    tick_us = round(config.tick_s * 1e6)
    start_us = to_us(config.start_time)
    world = World(
        vehicles=config.vehicles,
        seed=config.seed,
        start_us=start_us,
        tick_us=tick_us,
        weather_interval_s=config.weather_interval_s,
        departure_window_s=config.departure_window_s,
        dropout_rate=config.dropout_rate,
        continuous=config.continuous,
        namespace=namespace,
    )
    world.max_events = config.max_events
    ledger = Ledger()
    out = Emitter(
        sink,
        ledger,
        config.seed,
        duplicate_rate=config.duplicate_rate,
        late_rate=config.late_rate,
        max_lateness_us=round(config.max_lateness_s * 1e6),
        malformed_rate=config.malformed_rate,
    )
    world.bind(out)
    pacer = Pacer(None if config.as_fast_as_possible else config.speedup, stop)
    t0 = time.monotonic()
    deadline = t0 + config.duration_s if config.duration_s else None
    next_report = t0 + progress_interval_s
    stopped_by = "completed"
    k = 0
    sink.open(ledger)
    try:
        while True:
            if stop.is_set():
                stopped_by = "signal"
                break
            pacer.wait_for(k * config.tick_s)
            if stop.is_set():
                stopped_by = "signal"
                break
            out.release(start_us + k * tick_us)
            world.tick(k, out)
            k += 1
            if world.limit_reached:
                stopped_by = "max_events"
                break
            if world.done:
                break
            if deadline is not None or progress is not None:
                now = time.monotonic()
                if deadline is not None and now >= deadline:
                    stopped_by = "duration"
                    break
                if progress is not None and now >= next_report:
                    next_report = now + progress_interval_s
                    progress(_progress(world, ledger, now - t0, start_us + k * tick_us))
        out.release_all()
    finally:
        sink.close()
    elapsed = time.monotonic() - t0
    if progress is not None:
        progress(_progress(world, ledger, elapsed, start_us + k * tick_us))
    return RunSummary.from_ledger(
        ledger,
        elapsed_s=elapsed,
        stopped_by=stopped_by,
        seed=config.seed,
        vehicles=config.vehicles,
        sim_start=iso(start_us),
        sim_end=iso(start_us + max(0, k - 1) * tick_us),
        output=getattr(sink, "name_detail", sink.name),
        extra={"generated_events": world.events, "incidents": len(world.incidents)},
    )


def _progress(world: World, ledger: Ledger, elapsed: float, t_us: int) -> Progress:
    sent = ledger.total_sent
    return Progress(
        events=sent,
        elapsed_s=elapsed,
        events_per_s=sent / elapsed if elapsed > 0 else 0.0,
        sim_time=iso(t_us),
        active_vehicles=len(world.active),
        finished_vehicles=world.finished,
        vehicles=len(world.fleet),
    )
