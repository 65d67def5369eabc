"""Catch-up ingest: stream_to_lake (available-now) vs a plain Spark batch job, same topics, same run.

Starts its own broker (free port, temp dir), produces N events spread over the five topics (unique
ids, valid records), then, on local[2]:
  * baseline: spark.read.format("kafka") -> from_json -> Parquet (partitioned by dt, zstd), per topic;
  * ours: spark_jobs/stream_to_lake.py --trigger available-now (parse + dead letters + dedupe +
    exactly-once publish).
Both throughputs are rows / in-job processing seconds (JVM start-up excluded; wall times are
reported too). Prints one JSON object on stdout.

    .venv/bin/python bench/bench_stream_ingest.py [--events 1000000] [--repeats 1]
    (env: BENCH_INGEST_EVENTS, BENCH_INGEST_REPEATS)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BASELINE_FLAG = "--spark-baseline"


def baseline_job(bootstrap: str, out: str) -> None:
    """Runs inside spark-submit: the plain batch job the streaming job is compared with."""
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    from iot_contracts import CONTRACTS
    from iot_contracts.types import spark_schema
    from spark_jobs.session import JOB_CONF

    spark = SparkSession.builder.appName("bench_baseline").getOrCreate()
    for key, value in JOB_CONF.items():
        spark.conf.set(key, value)
    started = time.monotonic()
    for c in CONTRACTS:
        raw = (
            spark.read.format("kafka")
            .option("kafka.bootstrap.servers", bootstrap)
            .option("subscribe", c.topic)
            .option("startingOffsets", "earliest")
            .option("endingOffsets", "latest")
            .load()
        )
        parsed = raw.select(
            F.from_json(F.col("value").cast("string"), spark_schema(c.fields)).alias("r"),
            F.col("partition").alias("kafka_partition"),
            F.col("offset").alias("kafka_offset"),
            F.current_timestamp().alias("ingested_at"),
        ).select("r.*", "kafka_partition", "kafka_offset", "ingested_at")
        parsed = parsed.withColumn("dt", F.to_date("timestamp").cast("string"))
        parsed.write.mode("overwrite").partitionBy("dt").option("compression", "zstd").parquet(
            f"{out}/{c.table}"
        )
    elapsed = time.monotonic() - started
    rows = sum(spark.read.parquet(f"{out}/{c.table}").count() for c in CONTRACTS)
    print(json.dumps({"rows": rows, "elapsed_s": round(elapsed, 3)}), flush=True)
    spark.stop()


def produce(bootstrap: str, events: int) -> float:
    from iot_contracts import CONTRACTS
    from iot_pipeline_tests import spark_helpers as h

    h.create_topics(bootstrap, [c.topic for c in CONTRACTS])
    producer = h.producer(bootstrap, linger_ms=50, batch_size=1024 * 1024, acks=1)
    started = time.monotonic()
    per_topic = events // len(CONTRACTS)
    for c in CONTRACTS:
        for i in range(per_topic):
            record = h.make_record(c, i, run="bench")
            producer.send(c.topic, key=record["deviceId"].encode(), value=h.encode(record))
    producer.flush(timeout=600)
    producer.close()
    return time.monotonic() - started


def last_json(stdout: str) -> dict:
    for line in reversed(stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"no JSON result in:\n{stdout[-2000:]}")


def run(cmd: list[str], timeout: float = 3600) -> tuple[dict, float]:
    from spark_jobs.submit import submit_env

    started = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=submit_env())
    wall = time.monotonic() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[-1]} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return last_json(proc.stdout), wall


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--events", type=int, default=int(os.environ.get("BENCH_INGEST_EVENTS", 1_000_000))
    )
    p.add_argument("--repeats", type=int, default=int(os.environ.get("BENCH_INGEST_REPEATS", 1)))
    args = p.parse_args()

    from iot_pipeline.paths import jars
    from iot_pipeline.stack.broker import KafkaBroker, free_port
    from spark_jobs.submit import spark_submit_command

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        tmp_path = Path(tmp)
        broker = KafkaBroker(home=tmp_path / "kafka", port=free_port(), heap="1g")
        broker.up()
        try:
            bootstrap = broker.bootstrap_servers
            produce_s = produce(bootstrap, args.events)
            ours, base = [], []
            for r in range(args.repeats):
                base_cmd = spark_submit_command(
                    [BASELINE_FLAG, bootstrap, str(tmp_path / f"base{r}")],
                    jars("spark"),
                    script=str(Path(__file__).resolve()),  # this file is the baseline script
                )
                result, wall = run(base_cmd)
                base.append(
                    {
                        "rows": result["rows"],
                        "elapsed_s": result["elapsed_s"],
                        "wall_s": round(wall, 1),
                    }
                )
                our_cmd = spark_submit_command(
                    ["--bootstrap-servers", bootstrap, "--lake-root", str(tmp_path / f"lake{r}"),
                     "--trigger", "available-now"], jars("spark"),
                )  # fmt: skip
                result, wall = run(our_cmd)
                rows = sum(t.get("rows_written", 0) for k, t in result["tables"].items()
                           if k != "lake/dead_letter")  # fmt: skip
                ours.append(
                    {"rows": rows, "elapsed_s": result["elapsed_s"], "wall_s": round(wall, 1)}
                )
            ours_rps = statistics.median(o["rows"] / o["elapsed_s"] for o in ours)
            base_rps = statistics.median(b["rows"] / b["elapsed_s"] for b in base)
            print(json.dumps({
                "benchmark": "stream_ingest_catch_up",
                "events": args.events,
                "topics": 5,
                "master": "local[2]",
                "produce_s": round(produce_s, 1),
                "ours_rows_per_s": round(ours_rps),
                "baseline_rows_per_s": round(base_rps),
                "ratio": round(ours_rps / base_rps, 3),
                "target_ratio": 0.7,
                "repeats": args.repeats,
                "ours_runs": ours,
                "baseline_runs": base,
                "cpus": os.cpu_count(),
                "load_avg_1m": round(os.getloadavg()[0], 2),
                "note": "rows/s over in-job processing time (JVM start-up excluded); CPU shared",
            }))  # fmt: skip
        finally:
            broker.down()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == BASELINE_FLAG:
        baseline_job(sys.argv[2], sys.argv[3])
    else:
        main()
