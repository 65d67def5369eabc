"""Stream the five IoT Kafka topics into the Parquet lake, exactly once for outside readers.

    spark-submit spark_jobs/stream_to_lake.py --bootstrap-servers HOST:PORT \
        --lake-root PATH|s3a://bucket/prefix --trigger available-now|processing-time=<interval> \
        [--tables vehicle_data,gps_data,...] [--starting-offsets earliest] \
        [--max-offsets-per-trigger N] [--kafka-option key=value ...] [--dedupe-window '1 hour']

One streaming query per table: each has its own checkpoint, watermark and progress, so one feed's
clock cannot make another's records late, a table can be replayed or reset alone, and a failing
table is named. A supervisor watches all of them; the job exits 1 if any failed.
See docs/streaming.md for the guarantees.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    # Run as a script (spark-submit spark_jobs/stream_to_lake.py): import the package, not siblings.
    _here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _here]
    try:
        import spark_jobs  # noqa: F401  (installed, or shipped with --py-files)
    except ImportError:
        sys.path.insert(0, str(_here.parent))

from iot_contracts import contract_for
from iot_contracts.lake import checkpoint_location
from spark_jobs import lakefs, parsing
from spark_jobs.args import PROG, JobArgs, parse_args, strip_glue_args
from spark_jobs.offsets import initial_offsets
from spark_jobs.reporting import RunTally, pipes_session, report, strip_pipes_args
from spark_jobs.session import build_session
from spark_jobs.sink import LakeSink

log = logging.getLogger("stream_to_lake")
POLL_SECONDS = 1.0
STOP = threading.Event()


def stop_on_signals() -> None:
    """SIGTERM/SIGINT to this (Python driver) process: stop the queries, report, exit 0.

    spark-submit runs the driver as a child of its JVM; a signal to the JVM ends it at once (safe:
    the lake stays exactly-once, but there is no report), so signal the driver's pid (logged).
    """

    def on_signal(signum: int, _frame: Any) -> None:
        STOP.set()
        log.warning("signal %d: stopping the queries gracefully", signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)


def kafka_options(args: JobArgs, topic: str) -> dict[str, str]:
    options = {
        "kafka.bootstrap.servers": args.bootstrap_servers,
        "subscribe": topic,
        "startingOffsets": args.starting_offsets,
        "includeHeaders": "false",
        # Each task reads a fixed offset range; when its fetch reaches the range's end the broker
        # would hold the request for the default 500 ms waiting for more. Small micro-batches
        # paid that on every task (bench_stream_latency: Kafka read tasks 325 -> 176 ms).
        "kafka.fetch.max.wait.ms": "50",
    }
    if args.max_offsets_per_trigger:
        options["maxOffsetsPerTrigger"] = str(args.max_offsets_per_trigger)
    options.update(args.kafka_options)
    return options


def start_query(spark: Any, args: JobArgs, table: str, fs: Any, root: str, tally: RunTally) -> Any:
    contract = contract_for(table)
    checkpoint = checkpoint_location(root, table)
    topic = args.topic_prefix + contract.topic
    options = kafka_options(args, topic)
    source = spark.readStream.format("kafka").options(**options).load()
    rows = parsing.deduplicate(parsing.parse_kafka(source, contract), args.dedupe_window)
    writer = (
        rows.writeStream.queryName(table)
        .option("checkpointLocation", checkpoint)
        .foreachBatch(LakeSink(contract, fs, root, checkpoint, tally, options))
    )
    if args.trigger.available_now:
        writer = writer.trigger(availableNow=True)
    else:
        writer = writer.trigger(processingTime=args.trigger.interval)
    return writer.start()


def start_queries(
    spark: Any, args: JobArgs, fs: Any, root: str, tally: RunTally
) -> tuple[dict[str, Any], dict[str, str]]:
    """Start every table's query, in parallel: building and analysing each plan takes ~1 s of
    driver time, mostly waiting on the JVM. Returns (started queries, {table: start error})."""
    queries: dict[str, Any] = {}
    failures: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=len(args.tables)) as pool:
        futures = {
            table: pool.submit(start_query, spark, args, table, fs, root, tally)
            for table in args.tables
        }
        for table, future in futures.items():
            try:
                queries[table] = future.result()
            except Exception as e:  # e.g. a bad --kafka-option: name the table, stop the others
                failures[table] = describe_error(e)
                tally.failed(table, failures[table])
    return queries, failures


def progress_events(query: Any) -> list[dict]:
    out = []
    for p in query.recentProgress:
        if isinstance(p, dict):
            out.append(p)
        else:  # StreamingQueryProgress (pyspark >= 4)
            out.append(json.loads(p.json))
    return out


_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit)\b")


def describe_error(error: Any) -> str:
    """One line: the Python exception raised in foreachBatch if there is one, else Spark's first."""
    text = str(getattr(error, "desc", None) or error).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    python = [
        line
        for line in lines
        if _EXCEPTION_LINE.match(line) and not line.startswith(("py4j.", "org.", "java.", "scala."))
    ]
    if python:
        return python[-1][:500]
    return lines[0][:500] if lines else repr(error)


def wait_for_any_query(spark: Any, timeout_s: float) -> None:
    """Sleep up to timeout_s, waking as soon as a query ends (its errors are read by the caller)."""
    # A StreamingQueryException means a query failed: supervise() reads and reports it.
    with contextlib.suppress(Exception):
        spark.streams.awaitAnyTermination(timeout_s)
    spark.streams.resetTerminated()


def supervise(
    spark: Any, queries: dict[str, Any], args: JobArgs, tally: RunTally, pipes: Any
) -> dict[str, str]:
    """Wait for every query; return {table: error} for those that failed."""
    deadline = time.monotonic() + args.stop_after_seconds if args.stop_after_seconds else None
    failures: dict[str, str] = {}
    reported_batches: dict[str, int] = {}
    while True:
        active = 0
        for table, q in queries.items():
            tally.progress(table, progress_events(q))
            last = max(tally.tables[table].progress, default=-1)
            if last > reported_batches.get(table, -1):
                reported_batches[table] = last
                t = tally.tables[table]
                pipes.log.info(
                    f"{table}: batch {last} done; {t.rows_written} rows, "
                    f"{t.dead_letters} dead letters so far"
                )
            if q.isActive:
                active += 1
            elif table not in failures and q.exception() is not None:
                failures[table] = describe_error(q.exception())
                tally.failed(table, failures[table])
                pipes.log.error(f"query for table {table} failed: {failures[table]}")
        if active == 0:
            break
        timed_out = deadline is not None and time.monotonic() >= deadline
        # A dead query in a long-running job would silently stop its table: stop them all.
        if STOP.is_set() or timed_out or (failures and not args.trigger.available_now):
            for q in queries.values():
                if q.isActive:
                    q.stop()
            continue
        wait_for_any_query(spark, POLL_SECONDS)
    return failures


def run(args: JobArgs) -> int:
    stop_on_signals()
    log.info("driver pid %d", os.getpid())
    spark = build_session()
    fs, root = lakefs.for_root(args.lake_root, spark)
    tally = RunTally(args.tables)
    with pipes_session() as pipes:
        pipes.log.info(
            f"streaming {', '.join(args.tables)} from {args.bootstrap_servers} to {root} "
            f"({args.trigger.describe()})"
        )
        started = time.monotonic()
        queries, failures = start_queries(spark, args, fs, root, tally)
        if failures:
            for q in queries.values():
                q.stop()
        failures.update(supervise(spark, queries, args, tally, pipes))
        elapsed = time.monotonic() - started
        for table in args.tables:
            tally.initial_offsets(table, initial_offsets(fs, checkpoint_location(root, table)))
        summary = report(pipes, tally, root)
    status = "failed" if failures else "ok"
    print(
        json.dumps({"status": status, "elapsed_s": round(elapsed, 3), "tables": summary}),
        flush=True,
    )
    for table, error in failures.items():
        sys.stderr.write(f"{PROG}: error: query for table {table} failed: {error}\n")
    spark.stop()
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("py4j").setLevel(logging.WARNING)  # its INFO lines drown the job's own
    args = parse_args(strip_glue_args(strip_pipes_args(sys.argv[1:] if argv is None else argv)))
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
