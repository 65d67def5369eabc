"""Simulator events/s into a local Kafka broker, next to Kafka's own ProducerPerformance.

Starts its own broker (temp dir, free port), measures the simulator (median of --runs) and
org.apache.kafka.tools.ProducerPerformance with the simulator's average record size and the same
producer settings, on the same broker in the same run, and prints ONE JSON object on stdout.

    .venv/bin/python bench/bench_producer.py [--events 60000] [--runs 3] [--vehicles 20]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

from iot_pipeline import paths
from iot_pipeline.stack.broker import KafkaBroker, find_java, free_port
from simulator import JsonlSink, KafkaSink, MemorySink, SimulationConfig, kafka_sink, run_simulation
from simulator.sinks import best_compression

TARGET_EVENTS_PER_S = 30_000


def _config(args: argparse.Namespace, seed: int) -> SimulationConfig:
    return SimulationConfig(
        vehicles=args.vehicles, seed=seed, as_fast_as_possible=True, max_events=args.events,
        departure_window_s=0,
    )  # fmt: skip


def avg_record_size(args: argparse.Namespace) -> int:
    sink = MemorySink()
    run_simulation(_config(args, 0), sink)
    return round(statistics.fmean(len(v) for _, _, v in sink.records))


def simulator_runs(
    args: argparse.Namespace, bootstrap: str, sink_kw: dict, backend: str = "kafka-python"
) -> list[dict]:
    out = []
    for i in range(args.runs):
        sink = (
            kafka_sink(bootstrap, backend, **sink_kw)
            if backend == "kafka-python"
            else (kafka_sink(bootstrap, backend, linger_ms=sink_kw["linger_ms"]))
        )
        summary = run_simulation(_config(args, 1000 + i), sink)
        out.append({
            "events": summary.total_events, "elapsed_s": round(summary.elapsed_s, 3),
            "events_per_s": round(summary.events_per_s), "delivery_failures": summary.delivery_failures,
        })  # fmt: skip
    return out


def generation_only(args: argparse.Namespace) -> float:
    """The simulator without a broker (JSON lines to /dev/null): the ceiling Kafka sends lower."""
    with open(os.devnull, "wb") as devnull:
        summary = run_simulation(_config(args, 999), JsonlSink(devnull))
    return round(summary.events_per_s)


def producer_performance(bootstrap: str, records: int, size: int, sink_kw: dict) -> dict:
    props = [
        f"bootstrap.servers={bootstrap}", "acks=all", "enable.idempotence=true",
        f"linger.ms={sink_kw['linger_ms']}", f"batch.size={sink_kw['batch_size']}",
        f"compression.type={sink_kw['compression_type'] or 'none'}",
    ]  # fmt: skip
    cmd = [
        find_java(), "-Xmx512m", "-cp", ":".join(str(j) for j in paths.jars("kafka")),
        "org.apache.kafka.tools.ProducerPerformance", "--topic", "bench_producer_performance",
        "--num-records", str(records), "--record-size", str(size), "--throughput", "-1",
        "--producer-props", *props,
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    last = [line for line in proc.stdout.splitlines() if "records sent" in line]
    m = re.search(
        r"(\d+) records sent, ([\d.]+) records/sec \(([\d.]+) MB/sec\), ([\d.]+) ms avg",
        last[-1] if last else "",
    )
    if proc.returncode != 0 or not m:
        raise RuntimeError(
            f"ProducerPerformance failed: {proc.stderr.strip()[-500:] or proc.stdout[-500:]}"
        )
    return {
        "records": int(m.group(1)), "records_per_s": round(float(m.group(2))),
        "mb_per_s": float(m.group(3)), "avg_latency_ms": float(m.group(4)),
        "producer_props": props[1:],
    }  # fmt: skip


def _has_confluent() -> bool:
    try:
        import confluent_kafka  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=60_000, help="events per simulator run")
    parser.add_argument(
        "--runs", type=int, default=3, help="simulator runs (the median is reported)"
    )
    parser.add_argument("--vehicles", type=int, default=20)
    parser.add_argument("--linger-ms", type=int, default=KafkaSink().config["linger_ms"])
    parser.add_argument("--batch-size", type=int, default=KafkaSink().config["batch_size"])
    args = parser.parse_args()
    sink_kw = {
        "linger_ms": args.linger_ms, "batch_size": args.batch_size,
        "compression_type": best_compression(),
    }  # fmt: skip
    size = avg_record_size(args)
    with tempfile.TemporaryDirectory(prefix="bench-kafka-") as home:
        broker = KafkaBroker(home=Path(home), port=free_port())
        try:
            broker.up()
            bootstrap = broker.bootstrap_servers
            run_simulation(_config(argparse.Namespace(**{**vars(args), "events": 2_000}), 1),
                           KafkaSink(bootstrap, **sink_kw))  # fmt: skip  # warm-up, creates topics
            t0 = time.monotonic()
            runs = simulator_runs(args, bootstrap, sink_kw)
            sim_s = time.monotonic() - t0
            confluent = (
                simulator_runs(args, bootstrap, sink_kw, "confluent") if _has_confluent() else None
            )
            perf = producer_performance(bootstrap, args.events * args.runs, size, sink_kw)
        finally:
            broker.down()
    median = statistics.median(r["events_per_s"] for r in runs)
    result = {
        "benchmark": "simulator -> kafka (kafka-python) vs ProducerPerformance (Java)",
        "machine": {
            "cpus": os.cpu_count(),
            "load_avg_1m": round(os.getloadavg()[0], 2),
            "python": sys.version.split()[0],
        },
        "producer": {
            "backend": "kafka-python",
            "acks": "all",
            "enable_idempotence": True,
            **sink_kw,
        },
        "record_size_bytes": size,
        "simulator": {
            "vehicles": args.vehicles,
            "events_per_run": args.events,
            "runs": runs,
            "median_events_per_s": round(median),
            "total_s": round(sim_s, 1),
            "generation_only_events_per_s": generation_only(args),
        },
        "simulator_confluent_backend": None
        if confluent is None
        else {
            "note": "optional --backend confluent (librdkafka, gzip, 256 KiB batches)",
            "runs": confluent,
            "median_events_per_s": round(statistics.median(r["events_per_s"] for r in confluent)),
        },
        "producer_performance": perf,
        "ratio_simulator_to_producer_performance": round(median / perf["records_per_s"], 3),
        "target_events_per_s": TARGET_EVENTS_PER_S,
        "meets_target": median >= TARGET_EVENTS_PER_S,
    }
    sys.stdout.write(orjson.dumps(result).decode() + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
