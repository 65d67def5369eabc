"""Command-line options of stream_to_lake.py (pure Python: unit-testable without Spark)."""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from iot_contracts import TOPICS
from iot_contracts.cli import OneLineArgumentParser, positive_float, positive_int

PROG = "stream_to_lake"

_UNITS = {
    "ms": "milliseconds", "millisecond": "milliseconds", "milliseconds": "milliseconds",
    "s": "seconds", "sec": "seconds", "second": "seconds", "seconds": "seconds",
    "m": "minutes", "min": "minutes", "minute": "minutes", "minutes": "minutes",
    "h": "hours", "hour": "hours", "hours": "hours",
}  # fmt: skip
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$")


@dataclass(frozen=True)
class Trigger:
    """available-now (drain what is in Kafka, then stop) or processing-time (run until stopped)."""

    available_now: bool
    interval: str | None = None  # Spark interval text, e.g. "5 seconds"

    def describe(self) -> str:
        return "available-now" if self.available_now else f"processing-time={self.interval}"


@dataclass(frozen=True)
class JobArgs:
    bootstrap_servers: str
    lake_root: str
    trigger: Trigger
    tables: tuple[str, ...] = TOPICS
    starting_offsets: str = "earliest"
    max_offsets_per_trigger: int | None = None
    kafka_options: dict[str, str] = field(default_factory=dict)
    dedupe_window: str = "1 hours"
    stop_after_seconds: float | None = None
    topic_prefix: str = ""


def interval(text: str) -> str:
    """'5s', '5 seconds', '1 minute' -> Spark's '5 seconds' form; rejects anything else."""
    match = _INTERVAL.match(text.lower())
    if not match or match.group(2) not in _UNITS:
        raise argparse.ArgumentTypeError(
            f"expected an interval like '5 seconds', '500ms' or '1 minute', got {text!r}"
        )
    number = float(match.group(1))
    if number <= 0:
        raise argparse.ArgumentTypeError(f"interval must be positive, got {text!r}")
    shown = int(number) if number.is_integer() else number
    return f"{shown} {_UNITS[match.group(2)]}"


def trigger(text: str) -> Trigger:
    if text == "available-now":
        return Trigger(available_now=True)
    prefix = "processing-time="
    if text.startswith(prefix):
        return Trigger(available_now=False, interval=interval(text[len(prefix) :]))
    raise argparse.ArgumentTypeError(
        f"expected 'available-now' or 'processing-time=<interval>', got {text!r}"
    )


def tables(text: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(t.strip() for t in text.split(",") if t.strip()))
    unknown = [n for n in names if n not in TOPICS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown table(s) {', '.join(unknown) or '(none given)'}; "
            f"expected a comma-separated subset of {','.join(TOPICS)}"
        )
    return names


def key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected key=value, got {text!r}")
    return key.strip(), value


def starting_offsets(text: str) -> str:
    # earliest/latest, or Spark's per-partition JSON ({"topic":{"0":23}}) passed through.
    if text in ("earliest", "latest") or text.lstrip().startswith("{"):
        return text
    raise argparse.ArgumentTypeError(
        f"expected earliest, latest or Spark's offsets JSON, got {text!r}"
    )


def json_object(text: str) -> dict[str, str]:
    try:
        value = json.loads(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a JSON object, got {text!r}") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(f"expected a JSON object, got {text!r}")
    return {str(k): str(v) for k, v in value.items()}


# Arguments AWS Glue adds to every job run's command line; they are Glue's, not ours.
GLUE_RESERVED = ("--JOB_ID", "--JOB_RUN_ID", "--JOB_NAME", "--job-bookmark-option", "--TempDir")


def strip_glue_args(argv: Sequence[str]) -> list[str]:
    """Drop Glue's own `--FLAG value` pairs so a strict parser still rejects real typos."""
    out: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg.split("=", 1)[0] in GLUE_RESERVED:
            skip = "=" not in arg
        else:
            out.append(arg)
    return out


def build_parser() -> argparse.ArgumentParser:
    p = OneLineArgumentParser(
        prog=PROG,
        description="Stream the IoT Kafka topics into the Parquet lake, exactly once for readers.",
    )
    p.add_argument("--bootstrap-servers", required=True, help="Kafka bootstrap servers, HOST:PORT")
    p.add_argument("--lake-root", required=True, help="local path, file:// or s3a://bucket/prefix")
    p.add_argument(
        "--trigger",
        type=trigger,
        default=Trigger(available_now=True),
        help="available-now (default: drain Kafka, then exit) or processing-time=<interval>",
    )
    p.add_argument("--tables", type=tables, default=TOPICS, help="comma-separated (default: all)")
    p.add_argument(
        "--starting-offsets",
        type=starting_offsets,
        default="earliest",
        help="where a NEW checkpoint starts (default earliest); restarts resume from the checkpoint",
    )
    p.add_argument(
        "--max-offsets-per-trigger",
        type=positive_int,
        default=None,
        help="cap records per micro-batch per table (sizes batches, and so files)",
    )
    p.add_argument(
        "--kafka-option",
        type=key_value,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra Kafka source option, repeatable (e.g. kafka.security.protocol=SSL)",
    )
    p.add_argument(
        "--kafka-options-json",
        type=json_object,
        default={},
        metavar="JSON",
        help="extra Kafka source options as one JSON object (for launchers such as Glue whose "
        "arguments cannot repeat a flag); merged with --kafka-option",
    )
    p.add_argument(
        "--dedupe-window",
        type=interval,
        default="1 hour",
        help="event-time watermark delay: duplicates within it are dropped, "
        "records later than it are dropped as late and counted (default 1 hour)",
    )
    p.add_argument(
        "--topic-prefix",
        default="",
        help="read topic <prefix><table> (e.g. 'dev.'); lake tables keep the contract names",
    )
    p.add_argument(
        "--stop-after",
        type=positive_float,
        default=None,
        metavar="SECONDS",
        help="processing-time only: stop gracefully after this long (default: run until killed)",
    )
    return p


def parse_args(argv: Sequence[str] | None = None) -> JobArgs:
    parser = build_parser()
    ns = parser.parse_args(argv)
    if ns.stop_after is not None and ns.trigger.available_now:
        parser.error("--stop-after only applies to --trigger processing-time=...")
    if not ns.bootstrap_servers.strip():
        parser.error("--bootstrap-servers must not be empty")
    return JobArgs(
        bootstrap_servers=ns.bootstrap_servers,
        lake_root=ns.lake_root.rstrip("/") or "/",
        trigger=ns.trigger,
        tables=ns.tables,
        starting_offsets=ns.starting_offsets,
        max_offsets_per_trigger=ns.max_offsets_per_trigger,
        kafka_options={**ns.kafka_options_json, **dict(ns.kafka_option)},
        dedupe_window=ns.dedupe_window,
        stop_after_seconds=ns.stop_after,
        topic_prefix=ns.topic_prefix,
    )
