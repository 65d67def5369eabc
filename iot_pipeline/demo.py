"""`iot-pipeline demo`: the whole pipeline headless on this machine, through the Dagster assets.

Starts the local broker if needed, runs the `iot_pipeline` job in process (simulator -> Kafka ->
Spark -> lake -> catalog -> views), then reconciles what each layer holds and prints a summary.
"""

import argparse
import json
import os
import sys
import time
from typing import Any

from iot_contracts import TOPICS, lake
from iot_contracts.cli import non_negative_int, positive_int

EXAMPLE_QUERY = "SELECT * FROM ${views}.journey_summary ORDER BY device_id"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser(
        "demo", help="run simulator -> Kafka -> Spark -> lake -> DuckDB and print a summary"
    )
    demo.add_argument("--vehicles", type=positive_int, default=1, help="fleet size (default 1)")
    demo.add_argument("--seed", type=non_negative_int, default=42, help="simulator seed")
    demo.add_argument(
        "--json", action="store_true", help="last line of stdout: the summary as one JSON object"
    )
    demo.set_defaults(handler=run)


def _step(message: str) -> None:
    print(f"==> {message}", file=sys.stderr, flush=True)


def _ensure_dagster_home() -> None:
    from iot_pipeline import paths

    home = os.environ.setdefault("DAGSTER_HOME", str(paths.project_root() / "dagster_home"))
    os.makedirs(home, exist_ok=True)


def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    try:
        summary = run_demo(args.vehicles, args.seed)
    except Exception as err:  # the demo's contract: say what failed, exit non-zero
        print(f"iot-pipeline demo: error: {err}", file=sys.stderr)
        return 1
    summary["elapsed_s"] = round(time.monotonic() - started, 1)
    print_summary(summary)
    if args.json:
        print(json.dumps(summary, default=str, separators=(",", ":")))
    return 0 if summary["reconciled"] else 1


def run_demo(vehicles: int, seed: int) -> dict[str, Any]:
    from iot_pipeline.profiles import local_resources
    from iot_pipeline.stack.broker import KafkaBroker

    resources = local_resources()
    kafka = resources["kafka"]
    host, port = kafka.bootstrap_servers.rsplit(":", 1)
    broker = KafkaBroker(host=host, port=int(port))
    if not broker.status().running:
        _step(f"Starting the local Kafka broker on {kafka.bootstrap_servers}")
    broker.up()

    _step(f"Running the iot_pipeline job: {vehicles} vehicle(s), seed {seed}")
    result = execute_pipeline(resources, vehicles, seed)
    if not result.success:
        failed = [e.step_key for e in result.all_events if e.is_step_failure]
        raise RuntimeError(f"the iot_pipeline job failed at {', '.join(failed) or 'start-up'}")

    _step("Reconciling Kafka, the lake and DuckDB")
    return reconcile(resources, produced=_produced_this_run(result))


def execute_pipeline(resources: dict[str, Any], vehicles: int, seed: int):
    import dagster as dg

    from iot_pipeline.definitions import build_definitions

    _ensure_dagster_home()
    defs = build_definitions("local")
    job = defs.resolve_job_def("iot_pipeline")
    run_config = {
        "ops": {"kafka_topics": {"config": {"vehicles": vehicles, "seed": seed}}},
        "loggers": {"console": {"config": {"log_level": "INFO"}}},
    }
    with dg.DagsterInstance.get() as instance:
        return job.execute_in_process(
            run_config=run_config, instance=instance, resources=resources, raise_on_error=False
        )


def _produced_this_run(result) -> dict[str, int]:
    produced = {}
    for mat in result.asset_materializations_for_node("kafka_topics"):
        if "records_produced" in mat.metadata:
            produced[mat.asset_key.path[-1]] = mat.metadata["records_produced"].value
    return produced


def reconcile(resources: dict[str, Any], produced: dict[str, int]) -> dict[str, Any]:
    """What each layer holds now: Kafka records, lake rows (read like Athena), an example query."""
    from string import Template

    kafka, lake_storage, engine = (
        resources["kafka"],
        resources["lake_storage"],
        resources["query_engine"],
    )
    offsets = kafka.end_offsets(TOPICS)
    topics = {t: sum(offsets.get(t, {}).values()) for t in TOPICS}
    tables = {}
    for table in (*TOPICS, lake.DEAD_LETTER_TABLE):
        data = lake_storage.read_table(table, columns=[])
        tables[table] = 0 if data is None else data.num_rows
    query = Template(EXAMPLE_QUERY).substitute(views=engine.views_database)
    rows = engine.query(query)
    reconciled = all(topics[t] > 0 and tables[t] == topics[t] for t in TOPICS)
    return {
        "topics": topics,
        "tables": tables,
        "produced_this_run": produced,
        "reconciled": reconciled,
        "lake_root": lake_storage.root_uri(),
        "example_query": {"sql": query, "rows": rows},
    }


def print_summary(summary: dict[str, Any]) -> None:
    print("\nRecords per topic (Kafka) vs rows per lake table (Parquet, read like Athena):")
    print(f"  {'feed':<16}{'kafka':>10}{'lake':>10}  ")
    for topic, records in summary["topics"].items():
        rows = summary["tables"].get(topic, 0)
        mark = "ok" if rows == records and records > 0 else "MISMATCH"
        print(f"  {topic:<16}{records:>10}{rows:>10}  {mark}")
    print(f"  {'dead_letter':<16}{'':>10}{summary['tables'].get('dead_letter', 0):>10}")
    print(f"\nLake: {summary['lake_root']}")
    example = summary["example_query"]
    print(f"\nExample query: {example['sql']}")
    for row in example["rows"][:10]:
        print("  " + ", ".join(f"{k}={_fmt(v)}" for k, v in row.items()))
    verdict = "all five feeds reconcile" if summary["reconciled"] else "feeds DO NOT reconcile"
    print(f"\n{verdict} ({summary.get('elapsed_s', '?')} s)")


def _fmt(value: Any) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)
