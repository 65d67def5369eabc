"""Where records go: Kafka (kafka-python, batched, idempotent) or JSON lines (file, stdout, memory).

A sink receives already-encoded (topic, key, value) plus the record's kind for the ledger. It never
flushes per message; failures are reported to the run's Ledger, never swallowed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from time import monotonic
from typing import IO, Any, Protocol

import orjson

from simulator.summary import Ledger


class Sink(Protocol):
    name: str

    def open(self, ledger: Ledger) -> None: ...

    def send(
        self, topic: str, key: bytes, value: bytes, kind: int, pair: list[int] | None
    ) -> None: ...

    def close(self, timeout_s: float | None = None) -> None:
        """Deliver everything sent so far (flush), then release resources."""
        ...


def best_compression() -> str:
    """The fastest codec kafka-python can use with what is installed: lz4 > zstd > gzip."""
    from kafka import codec

    if codec.has_lz4():
        return "lz4"
    if codec.has_zstd():
        return "zstd"
    return "gzip"


class KafkaSink:
    """kafka-python producer: idempotent, acks=all, large batches, compression, async sends."""

    name = "kafka"

    def __init__(
        self,
        bootstrap_servers: str = "127.0.0.1:9092",
        *,
        # 256 KiB / 20 ms: each new batch wakes kafka-python's sender thread through a socket, and
        # the GIL hand-off that follows costs more than the record itself; 64 KiB batches across
        # 15 partitions woke it every ~13 records (bench_producer: 23.7k -> 36k events/s).
        linger_ms: int = 20,
        batch_size: int = 256 * 1024,
        compression_type: str | None = "auto",
        client_id: str = "iot-simulator",
        **producer_config: Any,
    ) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.config: dict[str, Any] = {
            "bootstrap_servers": bootstrap_servers,
            "client_id": client_id,
            "enable_idempotence": True,
            "acks": "all",
            "linger_ms": linger_ms,
            "batch_size": batch_size,
            "compression_type": best_compression()
            if compression_type == "auto"
            else compression_type,
            "metrics_enabled": False,  # per-record sensor updates cost ~15% of the send path
            **producer_config,
        }
        self._producer: Any = None
        self._ledger: Ledger | None = None
        self._partitions: dict[tuple[str, bytes], int] = {}
        self._errbacks: dict[tuple[str, int], Callable[[BaseException], None]] = {}

    @property
    def name_detail(self) -> str:
        return f"kafka {self.bootstrap_servers}"

    def open(self, ledger: Ledger) -> None:
        from kafka import KafkaProducer

        self._ledger = ledger
        self._errbacks = {}  # they close over the ledger
        self._producer = KafkaProducer(**self.config)

    def _partition(self, topic: str, key: bytes) -> int:
        # Same murmur2 choice as the producer's default partitioner, cached per key: device ids
        # repeat every second and hashing them in pure Python is a large share of send().
        from kafka.partitioner.default import murmur2

        parts = sorted(self._producer.partitions_for(topic))
        p = parts[(murmur2(key) & 0x7FFFFFFF) % len(parts)]
        self._partitions[(topic, key)] = p
        return p

    def _errback(self, topic: str, kind: int) -> Callable[[BaseException], None]:
        # One callable per (topic, kind), reused: add_errback(f, *args) would build a partial per record.
        errback = self._errbacks.get((topic, kind))
        if errback is None:
            on_failure = self._ledger.on_failure
            errback = self._errbacks[(topic, kind)] = lambda exc: on_failure(topic, kind, None, exc)
        return errback

    def send(self, topic: str, key: bytes, value: bytes, kind: int, pair: list[int] | None) -> None:
        partition = self._partitions.get((topic, key))
        if partition is None:
            partition = self._partition(topic, key)
        try:
            future = self._producer.send(topic, value=value, key=key, partition=partition)
        except Exception as exc:  # buffer full past max_block_ms, producer closed, ...
            self._ledger.on_failure(topic, kind, pair, exc)
            return
        if pair is None:
            future.add_errback(self._errback(topic, kind))
        else:
            future.add_errback(self._ledger.on_failure, topic, kind, pair)

    def close(self, timeout_s: float | None = None) -> None:
        if self._producer is not None:
            try:
                self._producer.flush(timeout=timeout_s)
            finally:
                self._producer.close(timeout=timeout_s)
                self._producer = None


class ConfluentKafkaSink:
    """Optional backend on confluent-kafka (librdkafka, C): same guarantees, far less CPU per record.

    Keys are hashed with murmur2 like the Java and kafka-python clients, so a device keeps its
    partition whichever backend produced it. Only failed deliveries call back into Python.
    """

    name = "kafka"

    def __init__(
        self,
        bootstrap_servers: str = "127.0.0.1:9092",
        *,
        linger_ms: int = 5,
        batch_size: int = 256 * 1024,
        # gzip, not lz4: kafka-python consumers (tests, tools) can only read lz4 with the lz4 package.
        compression_type: str = "gzip",
        client_id: str = "iot-simulator",
        bootstrap_timeout_ms: int = 10_000,
        **producer_config: Any,
    ) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.bootstrap_timeout_ms = bootstrap_timeout_ms
        self.config: dict[str, Any] = {
            "bootstrap.servers": bootstrap_servers,
            "client.id": client_id,
            "enable.idempotence": True,
            "acks": "all",
            "linger.ms": linger_ms,
            "batch.size": batch_size,
            "compression.type": compression_type,
            "partitioner": "murmur2_random",
            "queue.buffering.max.messages": 1_000_000,
            "delivery.report.only.error": True,
            **producer_config,
        }
        self._producer: Any = None
        self._ledger: Ledger | None = None
        self._since_poll = 0

    @property
    def name_detail(self) -> str:
        return f"kafka {self.bootstrap_servers} (confluent-kafka)"

    def open(self, ledger: Ledger) -> None:
        try:
            from confluent_kafka import Producer
        except ImportError:
            raise RuntimeError(
                "the confluent backend needs the confluent-kafka package (pip install confluent-kafka)"
            ) from None
        self._ledger = ledger
        self._producer = Producer(self.config)
        # Fail fast, like kafka-python's bootstrap, when no broker answers.
        try:
            self._producer.list_topics(timeout=self.bootstrap_timeout_ms / 1000)
        except Exception as exc:
            raise RuntimeError(
                f"Unable to bootstrap from {self.bootstrap_servers}: {exc}"
            ) from None

    def send(self, topic: str, key: bytes, value: bytes, kind: int, pair: list[int] | None) -> None:
        ledger = self._ledger

        def on_delivery(err: Any, _msg: Any) -> None:
            if err is not None:
                ledger.on_failure(topic, kind, pair, RuntimeError(str(err)))

        producer = self._producer
        while True:
            try:
                producer.produce(topic, value, key, on_delivery=on_delivery)
                break
            except BufferError:  # local queue full: let librdkafka drain it
                producer.poll(0.05)
        self._since_poll += 1
        if self._since_poll >= 1000:
            self._since_poll = 0
            producer.poll(0)

    def close(self, timeout_s: float | None = None) -> None:
        if self._producer is not None:
            left = self._producer.flush(-1 if timeout_s is None else timeout_s)
            if left:  # give up on the rest: purging fails them through their own callbacks
                self._producer.purge()
                self._producer.flush(0)
            self._producer = None


def kafka_sink(bootstrap_servers: str, backend: str = "kafka-python", **kw: Any) -> Sink:
    """A Kafka sink on the chosen client library: "kafka-python" (default) or "confluent"."""
    if backend == "kafka-python":
        return KafkaSink(bootstrap_servers, **kw)
    if backend == "confluent":
        return ConfluentKafkaSink(bootstrap_servers, **kw)
    raise ValueError(f"unknown Kafka backend {backend!r}; expected kafka-python or confluent")


class JsonlSink:
    """One JSON object per line: {"topic", "key", "value"}; value is the record object itself
    (a JSON string holding the raw text when the payload is not JSON, i.e. a malformed fault)."""

    name = "jsonl"

    def __init__(self, out: str | IO[bytes] = "-") -> None:
        self._target = out
        self._fh: IO[bytes] | None = None
        self._owns = False
        self._buf: list[bytes] = []
        self._next_drain = 0.0
        self._prefixes: dict[tuple[str, bytes], bytes] = {}

    @property
    def name_detail(self) -> str:
        return f"jsonl {self._target if isinstance(self._target, str) else 'stream'}"

    def open(self, ledger: Ledger) -> None:
        if isinstance(self._target, str):
            if self._target == "-":
                self._fh = sys.stdout.buffer
            else:
                self._fh = open(self._target, "wb")  # noqa: SIM115 - closed in close()
                self._owns = True
        else:
            self._fh = self._target

    def send(self, topic: str, key: bytes, value: bytes, kind: int, pair: list[int] | None) -> None:
        if value[:1] != b"{" or (kind == 2 and not _is_json(value)):
            value = orjson.dumps(value.decode("utf-8", "replace"))
        prefix = self._prefixes.get((topic, key))
        if prefix is None:
            prefix = self._prefixes[(topic, key)] = b'{"topic":%s,"key":%s,"value":' % (
                orjson.dumps(topic),
                orjson.dumps(key.decode()),
            )
        self._buf.append(prefix + value + b"}\n")
        # Write in blocks, but at least twice a second so a paced run can be followed live.
        if len(self._buf) >= 4096 or monotonic() >= self._next_drain:
            self._drain()

    def _drain(self) -> None:
        if self._buf and self._fh is not None:
            self._fh.write(b"".join(self._buf))
            self._fh.flush()
        self._buf.clear()
        self._next_drain = monotonic() + 0.5

    def close(self, timeout_s: float | None = None) -> None:
        self._drain()
        if self._fh is not None:
            self._fh.flush()
            if self._owns:
                self._fh.close()
            self._fh = None


class MemorySink:
    """Keeps (topic, key, value) tuples in a list; for tests and notebooks."""

    name = "memory"
    name_detail = "memory"

    def __init__(self) -> None:
        self.records: list[tuple[str, bytes, bytes]] = []

    def open(self, ledger: Ledger) -> None:
        self.records.clear()

    def send(self, topic: str, key: bytes, value: bytes, kind: int, pair: list[int] | None) -> None:
        self.records.append((topic, key, value))

    def close(self, timeout_s: float | None = None) -> None:
        pass


def _is_json(value: bytes) -> bool:
    try:
        orjson.loads(value)
    except orjson.JSONDecodeError:
        return False
    return True
