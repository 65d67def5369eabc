"""End-to-end latency of stream_to_lake in processing-time mode: produce -> row visible to DuckDB.

Starts its own broker (free port, temp dir) and the job via spark-submit, produces a steady trickle
of events on the five topics, and polls the lake the way Athena lists it (dt=*/ folders, hidden
names skipped), reading each new file once with DuckDB. Prints one JSON object on stdout.

    .venv/bin/python bench/bench_stream_latency.py [--seconds 60] [--rate 10] [--trigger '1 second']
    (env: BENCH_LATENCY_SECONDS, BENCH_LATENCY_RATE, BENCH_LATENCY_TRIGGER)
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from iot_contracts import CONTRACTS
from iot_pipeline.stack.broker import KafkaBroker, free_port
from iot_pipeline_tests import spark_helpers as h


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


class LakeWatcher(threading.Thread):
    """Records when each id first becomes visible to a file-listing reader (DuckDB)."""

    def __init__(self, lake: Path, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.lake = lake
        self.interval = interval
        self.seen_files: set[Path] = set()
        self.visible_at: dict[str, float] = {}
        self.stop_event = threading.Event()

    def run(self) -> None:
        import duckdb

        con = duckdb.connect()
        while not self.stop_event.is_set():
            new = [
                f
                for c in CONTRACTS
                for f in h.lake_files(self.lake, c.table)
                if f not in self.seen_files
            ]
            if new:
                now = time.time()
                files = ", ".join(f"'{f}'" for f in new)
                for (event_id,) in con.sql(f"SELECT id FROM read_parquet([{files}])").fetchall():
                    self.visible_at.setdefault(event_id, now)
                self.seen_files.update(new)
            time.sleep(self.interval)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--seconds", type=float, default=float(os.environ.get("BENCH_LATENCY_SECONDS", 60))
    )
    p.add_argument("--rate", type=float, default=float(os.environ.get("BENCH_LATENCY_RATE", 10)),
                   help="events per second per topic")  # fmt: skip
    p.add_argument("--trigger", default=os.environ.get("BENCH_LATENCY_TRIGGER", "1 second"))
    args = p.parse_args()

    from spark_jobs.submit import submit_env

    with tempfile.TemporaryDirectory(prefix="bench-latency-") as tmp:
        tmp_path = Path(tmp)
        broker = KafkaBroker(home=tmp_path / "kafka", port=free_port())
        broker.up()
        job = None
        try:
            bootstrap = broker.bootstrap_servers
            h.create_topics(bootstrap, [c.topic for c in CONTRACTS])
            lake = tmp_path / "lake"
            cmd = h.job_command(bootstrap, lake, "--trigger", f"processing-time={args.trigger}")
            log = open(tmp_path / "job.log", "wb")  # noqa: SIM115
            job = subprocess.Popen(
                cmd, stdout=log, stderr=subprocess.STDOUT, env=submit_env(), start_new_session=True
            )
            watcher = LakeWatcher(lake)
            watcher.start()
            producer = h.producer(bootstrap, linger_ms=0)

            def send(run: str, i: int) -> dict[str, float]:
                sent = {}
                for c in CONTRACTS:
                    record = h.make_record(c, i, ts=datetime.now(UTC), run=run)
                    producer.send(c.topic, key=record["deviceId"].encode(), value=h.encode(record))
                    sent[record["id"]] = time.time()
                producer.flush()
                return sent

            # Warm-up: wait until the job publishes (Spark start-up and first batches excluded).
            started = time.time()
            warm = send("warm", 0)
            while not all(i in watcher.visible_at for i in warm):
                if job.poll() is not None or time.time() - started > 240:
                    raise RuntimeError(f"job did not start; see {tmp_path / 'job.log'}")
                time.sleep(0.2)
            startup_s = time.time() - started

            produced: dict[str, float] = {}
            n = int(args.seconds * args.rate)
            t0 = time.monotonic()
            for i in range(n):
                produced.update(send("probe", i))
                delay = t0 + (i + 1) / args.rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            deadline = time.time() + 60
            while time.time() < deadline and not all(i in watcher.visible_at for i in produced):
                time.sleep(0.2)
            watcher.stop_event.set()
            producer.close()
            latencies = [
                watcher.visible_at[i] - t for i, t in produced.items() if i in watcher.visible_at
            ]
            result = {
                "benchmark": "stream_latency",
                "trigger": f"processing-time={args.trigger}",
                "events": len(produced),
                "events_visible": len(latencies),
                "rate_per_topic_per_s": args.rate,
                "seconds": args.seconds,
                "latency_p50_s": round(statistics.median(latencies), 3) if latencies else None,
                "latency_p99_s": round(percentile(latencies, 99), 3) if latencies else None,
                "latency_max_s": round(max(latencies), 3) if latencies else None,
                "targets": {"p50_s": 5, "p99_s": 15},
                "job_startup_s": round(startup_s, 1),
                "files_written": len(watcher.seen_files),
                "cpus": os.cpu_count(),
                "load_avg_1m": round(os.getloadavg()[0], 2),
            }
            print(json.dumps(result))
        finally:
            if job is not None and job.poll() is None:
                os.killpg(job.pid, signal.SIGTERM)
                try:
                    job.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.killpg(job.pid, signal.SIGKILL)
                    job.wait()
            broker.down()


if __name__ == "__main__":
    main()
