"""Turn records into bytes for a sink, injecting the faults real devices produce (all counted).

- duplicate: the same bytes sent twice in a row (same id), as a retrying device would.
- late: a valid record held back up to `max_lateness_s` of simulated time, then sent out of order.
- malformed: the record replaced by a truncated/garbage payload, one missing a required field, or
  one with a required field of the wrong type (a mix, chosen by the seeded RNG).
Device dropouts are decided by the world (the device sends nothing); the ledger counts them.
The fault RNG is only consulted for rates above zero, so a run without faults is byte-identical
whatever the fault code does.
"""

from __future__ import annotations

import heapq
import random
from typing import Any

import orjson

from iot_contracts import BY_NAME, FieldType
from simulator.sinks import Sink
from simulator.summary import DUPLICATE, MALFORMED, VALID, Ledger

_dumps = orjson.dumps

# Strings a wrong-typed field gets: none parses as a number, timestamp or location.
_WRONG_VALUES = ("n/a", "unknown", "ERR", "--", "null?")
# Non-string required fields per topic: replacing them with a string is a type error for any reader
# (a string field given a number may be coerced silently, so those are not used).
_TYPED_FIELDS = {
    name: tuple(f.name for f in c.fields if f.required and f.type is not FieldType.STRING)
    for name, c in BY_NAME.items()
}
_REQUIRED = {name: c.required_fields for name, c in BY_NAME.items()}


class Emitter:
    """Encodes records, applies faults, hands them to the sink and keeps the ledger."""

    def __init__(
        self,
        sink: Sink,
        ledger: Ledger,
        seed: int,
        duplicate_rate: float = 0.0,
        late_rate: float = 0.0,
        max_lateness_us: int = 0,
        malformed_rate: float = 0.0,
    ) -> None:
        self.sink = sink
        self.ledger = ledger
        self.rng = random.Random(f"{seed}/faults")
        self.dup = duplicate_rate
        self.late = late_rate
        self.max_late_us = max_lateness_us
        self.bad = malformed_rate
        self.faulty = duplicate_rate > 0 or late_rate > 0 or malformed_rate > 0
        self._held: list[tuple[int, int, str, bytes, bytes]] = []
        self._held_seq = 0
        self._sent_valid = ledger.sent[VALID]
        self._send = sink.send

    def emit(self, topic: str, key: bytes, record: dict[str, Any], t_us: int) -> None:
        if not self.faulty:
            self._sent_valid[topic] += 1
            self._send(topic, key, _dumps(record), VALID, None)
            return
        rng = self.rng
        if self.bad and rng.random() < self.bad:
            self.ledger.sent[MALFORMED][topic] += 1
            self._send(topic, key, self._malform(topic, record), MALFORMED, None)
            return
        value = _dumps(record)
        if self.late and rng.random() < self.late:
            # 1 s .. max lateness late (a max below 1 s: up to the max, at least 1 us).
            release = t_us + rng.randint(
                min(1_000_000, max(1, self.max_late_us)), max(1, self.max_late_us)
            )
            self._held_seq += 1
            heapq.heappush(self._held, (release, self._held_seq, topic, key, value))
            self.ledger.late[topic] += 1
            return
        self._send_valid(topic, key, value)

    def _send_valid(self, topic: str, key: bytes, value: bytes) -> None:
        self._sent_valid[topic] += 1
        if self.dup and self.rng.random() < self.dup:
            pair = [0]
            self.ledger.sent[DUPLICATE][topic] += 1
            self._send(topic, key, value, VALID, pair)
            self._send(topic, key, value, DUPLICATE, pair)
        else:
            self._send(topic, key, value, VALID, None)

    def release(self, now_us: int) -> None:
        """Send held-back records whose time has come (call once per tick)."""
        held = self._held
        while held and held[0][0] <= now_us:
            _, _, topic, key, value = heapq.heappop(held)
            self._send_valid(topic, key, value)

    def release_all(self) -> None:
        while self._held:
            _, _, topic, key, value = heapq.heappop(self._held)
            self._send_valid(topic, key, value)

    def _malform(self, topic: str, record: dict[str, Any]) -> bytes:
        rng = self.rng
        mode = rng.randrange(4)
        if mode == 0:  # cut off mid-object, as a device losing power would
            raw = _dumps(record)
            return raw[: rng.randint(1, len(raw) - 2)]
        if mode == 1:  # a debug line from the firmware instead of JSON
            return b"ERR dev=%s code=0x%04x msg=sensor read timeout" % (
                str(record.get("deviceId", "?")).encode(),
                rng.randrange(65536),
            )
        broken = dict(record)
        if mode == 2:
            del broken[rng.choice(_REQUIRED[topic])]
        else:
            broken[rng.choice(_TYPED_FIELDS[topic])] = rng.choice(_WRONG_VALUES)
        return _dumps(broken)
