"""What a run produced: per-topic counts of acknowledged records by kind, faults and failures."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from iot_contracts import TOPICS

# The kind of each record handed to a sink; together with the topic it decides what an ack counts as.
VALID = 0  # first (or only) copy of a contract-conformant record
DUPLICATE = 1  # an extra copy of a VALID record (same id, same bytes)
MALFORMED = 2  # not JSON, a required field missing, or a field of the wrong type
KINDS = (VALID, DUPLICATE, MALFORMED)


class Ledger:
    """Counts sends per (kind, topic); sinks report failures here (possibly from their I/O thread).

    Acknowledged = sent - failed, final once the sink has flushed. A duplicated record shares a
    one-element `pair` list with its copy: the first failure of the pair costs a duplicate, the
    second the unique record itself, so `valid_unique` counts records with at least one copy acked.
    """

    def __init__(self, topics: tuple[str, ...] = TOPICS) -> None:
        self.topics = topics
        self.sent = [dict.fromkeys(topics, 0) for _ in KINDS]
        self.failed = [dict.fromkeys(topics, 0) for _ in KINDS]
        self.delivery_failures = dict.fromkeys(topics, 0)
        self.late = dict.fromkeys(topics, 0)
        self.dropped = dict.fromkeys(topics, 0)
        self.dropout_episodes = 0
        self.first_error: str | None = None
        self._lock = threading.Lock()

    def on_failure(self, topic: str, kind: int, pair: list[int] | None, exc: BaseException) -> None:
        with self._lock:
            self.delivery_failures[topic] += 1
            if self.first_error is None:
                self.first_error = f"{type(exc).__name__}: {exc}"
            if pair is None:
                self.failed[kind][topic] += 1
            else:
                pair[0] += 1
                self.failed[DUPLICATE if pair[0] == 1 else VALID][topic] += 1

    def acked(self, kind: int) -> dict[str, int]:
        return {t: self.sent[kind][t] - self.failed[kind][t] for t in self.topics}

    @property
    def total_sent(self) -> int:
        return sum(sum(d.values()) for d in self.sent)


@dataclass
class RunSummary:
    """The outcome of `run_simulation`; counts are records the sink acknowledged unless noted."""

    events_per_topic: dict[str, int]  # every acked record: valid + duplicates + malformed
    valid_unique_per_topic: dict[str, int]  # what a deduplicating, validating reader keeps
    duplicates_per_topic: dict[str, int]  # extra copies (same id) acked
    malformed_per_topic: dict[str, int]  # what a validating reader dead-letters
    late_per_topic: dict[str, int]  # valid records sent out of order, up to max lateness late
    dropouts_per_topic: dict[str, int]  # records never sent because the device was offline
    delivery_failures_per_topic: dict[str, int]  # sends the sink reported as failed
    dropout_episodes: int
    first_delivery_error: str | None
    elapsed_s: float
    stopped_by: str  # completed | max_events | duration | signal
    seed: int
    vehicles: int
    sim_start: str
    sim_end: str
    output: str
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_ledger(cls, ledger: Ledger, **kw: Any) -> RunSummary:
        valid, dup, bad = (ledger.acked(k) for k in KINDS)
        return cls(
            events_per_topic={t: valid[t] + dup[t] + bad[t] for t in ledger.topics},
            valid_unique_per_topic=valid,
            duplicates_per_topic=dup,
            malformed_per_topic=bad,
            late_per_topic=dict(ledger.late),
            dropouts_per_topic=dict(ledger.dropped),
            delivery_failures_per_topic=dict(ledger.delivery_failures),
            dropout_episodes=ledger.dropout_episodes,
            first_delivery_error=ledger.first_error,
            **kw,
        )

    @property
    def total_events(self) -> int:
        return sum(self.events_per_topic.values())

    @property
    def delivery_failures(self) -> int:
        return sum(self.delivery_failures_per_topic.values())

    @property
    def events_per_s(self) -> float:
        return self.total_events / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "events": self.total_events,
            "events_per_topic": self.events_per_topic,
            "valid_unique_per_topic": self.valid_unique_per_topic,
            "duplicates": sum(self.duplicates_per_topic.values()),
            "duplicates_per_topic": self.duplicates_per_topic,
            "late": sum(self.late_per_topic.values()),
            "late_per_topic": self.late_per_topic,
            "malformed": sum(self.malformed_per_topic.values()),
            "malformed_per_topic": self.malformed_per_topic,
            "dropouts": sum(self.dropouts_per_topic.values()),
            "dropouts_per_topic": self.dropouts_per_topic,
            "dropout_episodes": self.dropout_episodes,
            "delivery_failures": self.delivery_failures,
            "delivery_failures_per_topic": self.delivery_failures_per_topic,
            "first_delivery_error": self.first_delivery_error,
            "elapsed_s": round(self.elapsed_s, 3),
            "events_per_s": round(self.events_per_s, 1),
            "stopped_by": self.stopped_by,
            "seed": self.seed,
            "vehicles": self.vehicles,
            "sim_start": self.sim_start,
            "sim_end": self.sim_end,
            "output": self.output,
            **self.extra,
        }

    def describe(self) -> str:
        """A few human lines for the terminal."""
        width = max(len(t) for t in self.events_per_topic)
        lines = [
            f"{self.total_events} events in {self.elapsed_s:.2f}s ({self.events_per_s:,.0f} events/s) "
            f"to {self.output}, {self.vehicles} vehicle(s), seed {self.seed}, stopped by {self.stopped_by}",
            f"simulated time {self.sim_start} .. {self.sim_end}",
        ]
        for t, n in self.events_per_topic.items():
            faults = []
            for label, d in (
                ("duplicates", self.duplicates_per_topic),
                ("late", self.late_per_topic),
                ("malformed", self.malformed_per_topic),
                ("dropped", self.dropouts_per_topic),
                ("failed", self.delivery_failures_per_topic),
            ):
                if d[t]:
                    faults.append(f"{d[t]} {label}")
            lines.append(f"  {t:<{width}} {n:>9}" + (f"  ({', '.join(faults)})" if faults else ""))
        if self.delivery_failures:
            lines.append(
                f"DELIVERY FAILURES: {self.delivery_failures} (first: {self.first_delivery_error})"
            )
        return "\n".join(lines)
