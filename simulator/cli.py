"""`iot-simulator run ...`: drive the fleet into Kafka or JSON lines, with progress and a summary.

Exit codes: 0 done (also after Ctrl-C or SIGTERM: what was sent is flushed and summarised),
1 delivery failures or a sink error, 2 invalid options.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence

import orjson

from iot_contracts.cli import OneLineArgumentParser, fail, positive_float, positive_int, rate
from simulator.clock import DEFAULT_START, parse_time
from simulator.run import Progress, SimulationConfig, run_simulation
from simulator.sinks import JsonlSink, Sink, kafka_sink

PROG = "iot-simulator"


def seed_value(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"must be between 0 and 2^63-1, got {value}")
    return value


def start_time(text: str):
    try:
        return parse_time(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"expected ISO-8601 with an offset like 2026-01-05T08:00:00Z ({exc})"
        ) from None


def bootstrap(text: str) -> str:
    for part in text.split(","):
        host, sep, port = part.strip().rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise argparse.ArgumentTypeError(f"expected host:port[,host:port...], got {text!r}")
    return text


def build_parser() -> OneLineArgumentParser:
    parser = OneLineArgumentParser(
        prog=PROG,
        description="Simulated connected vehicles driving London <-> Birmingham (M40), "
        "emitting vehicle, GPS, traffic-camera, weather and emergency feeds.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineArgumentParser)
    run = sub.add_parser(
        "run",
        help="run the fleet into Kafka or JSON lines",
        description="Run the fleet. Ends when every vehicle has arrived, or at --max-events, "
        "--duration or Ctrl-C/SIGTERM (what was sent is flushed, a summary printed, exit 0). "
        "The same --seed (and options) gives byte-identical output, ids included.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    g = run.add_argument_group("fleet and time")
    g.add_argument("--vehicles", type=positive_int, default=1, help="number of vehicles")
    g.add_argument(
        "--seed", type=seed_value, default=42, help="random seed (output is a function of it)"
    )
    g.add_argument(
        "--start-time", type=start_time, default=DEFAULT_START,
        help="simulated start, ISO-8601 with offset",
    )  # fmt: skip
    pace = g.add_mutually_exclusive_group()
    pace.add_argument(
        "--speedup", type=positive_float, default=1.0,
        help="simulated seconds per wall-clock second (1 = real time)",
    )  # fmt: skip
    pace.add_argument(
        "--as-fast-as-possible", action="store_true", help="do not pace against the wall clock"
    )
    g.add_argument(
        "--max-events", type=positive_int, default=None, help="stop after this many events"
    )
    g.add_argument(
        "--duration", type=positive_float, default=None, metavar="SECONDS",
        help="stop after this many wall-clock seconds",
    )  # fmt: skip
    g.add_argument(
        "--continuous", action="store_true",
        help="vehicles turn round at the destination and keep driving (use with --duration)",
    )  # fmt: skip
    g.add_argument(
        "--departure-window", type=float, default=600.0, metavar="SECONDS",
        help="vehicles after the first set off at seeded times within this window",
    )  # fmt: skip

    o = run.add_argument_group("output")
    o.add_argument("--output", choices=("kafka", "jsonl"), default="kafka", help="where records go")
    o.add_argument(
        "--bootstrap-servers", type=bootstrap, default="127.0.0.1:9092",
        help="Kafka brokers (--output kafka)",
    )  # fmt: skip
    o.add_argument(
        "--backend", choices=("kafka-python", "confluent"), default="kafka-python",
        help="Kafka client library; confluent (librdkafka) needs the optional confluent-kafka "
        "package and produces several times faster",
    )  # fmt: skip
    o.add_argument(
        "--connect-timeout", type=positive_float, default=10.0, metavar="SECONDS",
        help="give up if the brokers do not answer within this time (--output kafka)",
    )  # fmt: skip
    o.add_argument(
        "--out", default="-", metavar="PATH",
        help='JSON-lines file (--output jsonl); "-" is stdout. One {"topic","key","value"} per line',
    )  # fmt: skip
    o.add_argument(
        "--json", action="store_true", help="print the final summary as one JSON line on stdout"
    )
    o.add_argument(
        "--progress", choices=("auto", "always", "never"), default="auto",
        help="progress line on stderr (auto: when stderr is a terminal)",
    )  # fmt: skip
    o.add_argument("--quiet", action="store_true", help="no summary on stderr")

    f = run.add_argument_group("fault injection (all counted in the summary)")
    f.add_argument("--duplicate-rate", type=rate, default=0.0, help="share of records sent twice")
    f.add_argument(
        "--late-rate", type=rate, default=0.0, help="share of records held back and sent late"
    )
    f.add_argument(
        "--max-lateness", type=positive_float, default=300.0, metavar="SECONDS",
        help="how late (simulated seconds) a late record can be",
    )  # fmt: skip
    f.add_argument(
        "--malformed-rate", type=rate, default=0.0,
        help="share of records replaced by broken JSON, a missing field or a wrong type",
    )  # fmt: skip
    f.add_argument(
        "--dropout-rate", type=rate, default=0.0,
        help="share of time a vehicle's devices are offline (episodes of ~10-110 s)",
    )  # fmt: skip
    return parser


def _progress_printer(stream) -> callable:
    def show(p: Progress) -> None:
        stream.write(
            f"\r{p.events:>10,} events  {p.events_per_s:>9,.0f}/s  sim {p.sim_time[:19]}  "
            f"vehicles {p.active_vehicles} driving, {p.finished_vehicles}/{p.vehicles} arrived  "
        )
        stream.flush()

    return show


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.json and args.output == "jsonl" and args.out == "-":
        fail(
            PROG,
            "--json prints to stdout, which --output jsonl --out - already uses; give --out a file",
        )
    if args.departure_window < 0:
        fail(
            PROG, f"argument --departure-window: must not be negative, got {args.departure_window}"
        )
    try:
        config = SimulationConfig(
            vehicles=args.vehicles,
            seed=args.seed,
            start_time=args.start_time,
            speedup=args.speedup,
            as_fast_as_possible=args.as_fast_as_possible,
            max_events=args.max_events,
            duration_s=args.duration,
            continuous=args.continuous,
            departure_window_s=args.departure_window,
            duplicate_rate=args.duplicate_rate,
            late_rate=args.late_rate,
            max_lateness_s=args.max_lateness,
            malformed_rate=args.malformed_rate,
            dropout_rate=args.dropout_rate,
        )
    except ValueError as exc:
        fail(PROG, str(exc))

    sink: Sink = (
        kafka_sink(
            args.bootstrap_servers,
            args.backend,
            bootstrap_timeout_ms=int(args.connect_timeout * 1000),
        )
        if args.output == "kafka"
        else JsonlSink(args.out)
    )
    show = args.progress == "always" or (args.progress == "auto" and sys.stderr.isatty())
    stop = threading.Event()
    received: list[int] = []

    def on_signal(signum, _frame) -> None:
        received.append(signum)
        stop.set()
        # A second Ctrl-C stops at once, without waiting for the flush.
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        summary = run_simulation(
            config, sink, progress=_progress_printer(sys.stderr) if show else None, stop=stop
        )
    except Exception as exc:  # the broker unreachable, the disk full, ...
        if show:
            sys.stderr.write("\n")
        sys.stderr.write(f"{PROG}: error: {type(exc).__name__}: {exc}\n")
        return 1
    if show:
        sys.stderr.write("\n")
    if not args.quiet:
        sys.stderr.write(summary.describe() + "\n")
    if args.json:
        sys.stdout.buffer.write(orjson.dumps(summary.to_dict()) + b"\n")
        sys.stdout.flush()
    return 1 if summary.delivery_failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
