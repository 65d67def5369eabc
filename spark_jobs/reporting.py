"""Run tallies and their report: one Dagster materialization per table per run (via dagster-pipes).

Outside Dagster (no Pipes context in the environment or argv, or dagster-pipes not installed) the
report is only logged and printed as one JSON line on stdout, so tests and humans see the same
figures Dagster would.
"""

from __future__ import annotations

import contextlib
import json
import logging
import statistics
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from iot_contracts.lake import DEAD_LETTER_TABLE, table_location
from spark_jobs.commit import Manifest

ASSET_PREFIX = "lake/"
PIPES_CLI_FLAGS = ("--dagster-pipes-context", "--dagster-pipes-messages")

log = logging.getLogger("stream_to_lake")


@dataclass
class TableTally:
    """What one table's query did in this run."""

    rows_written: int = 0
    files_written: int = 0
    dead_letters: int = 0
    batches_published: int = 0
    batches_replayed: int = 0  # already committed before a crash: skipped, not written twice
    publish_ms: list[int] = field(default_factory=list)
    partitions: set[str] = field(default_factory=set)
    published_ids: set[int] = field(default_factory=set)
    skipped_ids: set[int] = field(default_factory=set)
    # From Spark's progress events, keyed by batch id so repeated polls never double count.
    progress: dict[int, dict] = field(default_factory=dict)
    # Offsets a new checkpoint started from (Spark logs them; its first progress has no start).
    initial_offsets: dict | None = None
    status: str = "ok"
    error: str | None = None


class RunTally:
    """Thread-safe: each query's foreachBatch runs on its own thread in the driver."""

    def __init__(self, tables: tuple[str, ...]) -> None:
        self._lock = threading.Lock()
        self.tables = {t: TableTally() for t in tables}
        self.dead_by_topic: dict[str, int] = {}
        self.dead_files = 0
        self.dead_partitions: set[str] = set()

    def published(self, table: str, manifest: Manifest, duration_ms: int) -> None:
        files = manifest.files_by_table()
        with self._lock:
            t = self.tables[table]
            t.rows_written += manifest.rows.get(table, 0)
            dead = manifest.rows.get(DEAD_LETTER_TABLE, 0)
            t.dead_letters += dead
            t.files_written += files.get(table, 0)
            t.batches_published += 1
            t.publish_ms.append(duration_ms)
            t.partitions.update(manifest.partitions(table))
            t.published_ids.add(manifest.batch_id)
            self.dead_by_topic[table] = self.dead_by_topic.get(table, 0) + dead
            self.dead_files += files.get(DEAD_LETTER_TABLE, 0)
            self.dead_partitions.update(manifest.partitions(DEAD_LETTER_TABLE))

    def replayed(self, table: str, batch_id: int) -> None:
        with self._lock:
            self.tables[table].batches_replayed += 1
            self.tables[table].skipped_ids.add(batch_id)

    def progress(self, table: str, events: list[dict]) -> None:
        with self._lock:
            for e in events:
                self.tables[table].progress[int(e["batchId"])] = e

    def initial_offsets(self, table: str, offsets: dict | None) -> None:
        with self._lock:
            self.tables[table].initial_offsets = offsets

    def failed(self, table: str, error: str) -> None:
        with self._lock:
            self.tables[table].status = "failed"
            self.tables[table].error = error

    # -- report ----------------------------------------------------------------------------------

    def table_metadata(self, table: str, lake_root: str) -> dict[str, Any]:
        t = self.tables[table]
        # Batches this run replayed without writing were accounted for by the run that wrote them.
        events = [e for b, e in sorted(t.progress.items()) if b not in t.skipped_ids]
        input_rows = sum(int(e.get("numInputRows", 0)) for e in events)
        late = duplicates = 0
        for e in events:
            for op in e.get("stateOperators") or []:
                late += int(op.get("numRowsDroppedByWatermark", 0))
                duplicates += int((op.get("customMetrics") or {}).get("numDroppedDuplicateRows", 0))
        trigger_ms = [int((e.get("durationMs") or {}).get("triggerExecution", 0)) for e in events]
        meta: dict[str, Any] = {
            "status": t.status,
            "path": table_location(lake_root, table),
            "rows_written": t.rows_written,
            "files_written": t.files_written,
            "dead_letters": t.dead_letters,
            "duplicates_dropped": duplicates,
            "late_dropped": late,
            "kafka_records_read": input_rows,
            "kafka_offsets": offset_ranges(events, t.initial_offsets),
            "batches": t.batches_published,
            "batches_replayed_after_restart": t.batches_replayed,
            "batch_duration_ms": duration_summary(trigger_ms),
            "publish_duration_ms": duration_summary(t.publish_ms),
            "partitions_written": sorted(t.partitions),
        }
        if t.error:
            meta["error"] = t.error
        return meta

    def dead_letter_metadata(self, lake_root: str) -> dict[str, Any]:
        return {
            "path": table_location(lake_root, DEAD_LETTER_TABLE),
            "rows_written": sum(self.dead_by_topic.values()),
            "files_written": self.dead_files,
            "rows_by_topic": {t: self.dead_by_topic.get(t, 0) for t in self.tables},
            "partitions_written": sorted(self.dead_partitions),
        }

    def summary(self, lake_root: str) -> dict[str, Any]:
        out = {f"{ASSET_PREFIX}{t}": self.table_metadata(t, lake_root) for t in self.tables}
        out[f"{ASSET_PREFIX}{DEAD_LETTER_TABLE}"] = self.dead_letter_metadata(lake_root)
        return out


def offset_ranges(
    events: list[dict], initial: dict | None = None
) -> dict[str, dict[str, int | None]]:
    """{"<topic>/<partition>": {"start": first offset read, "end": next offset to read}}."""
    ranges: dict[str, dict[str, int | None]] = {}
    for e in events:
        for source in e.get("sources") or []:
            start = _offsets(source.get("startOffset"))
            for key, value in _offsets(source.get("endOffset")).items():
                r = ranges.setdefault(key, {"start": start.get(key), "end": value})
                if r["start"] is None:
                    r["start"] = start.get(key)
                r["end"] = value
    if initial and events and events[0].get("batchId") == 0:
        # Batch 0 of a new checkpoint starts where Spark resolved `startingOffsets` to (its
        # progress event does not say).
        for key, value in _offsets(initial).items():
            ranges.setdefault(key, {"start": value, "end": value})["start"] = value
    return dict(sorted(ranges.items()))


def _offsets(raw: Any) -> dict[str, int]:
    if raw is None:
        return {}
    data = json.loads(raw) if isinstance(raw, str) else raw
    if not isinstance(data, dict):
        return {}
    return {
        f"{topic}/{part}": int(off)
        for topic, parts in data.items()
        if isinstance(parts, dict)
        for part, off in parts.items()
    }


def duration_summary(values: list[int]) -> dict[str, int]:
    if not values:
        return {"count": 0}
    return {
        "count": len(values),
        "p50": int(statistics.median(values)),
        "max": max(values),
        "total": sum(values),
    }


# -- dagster-pipes --------------------------------------------------------------------------------


class NullPipes:
    """Stands in for PipesContext outside Dagster: reports are no-ops, logs go to our logger."""

    log = log
    asset_keys: tuple[str, ...] = ()

    def report_asset_materialization(self, **_: Any) -> None:
        return None


def pipes_requested(argv: list[str] | None = None) -> bool:
    import os

    argv = sys.argv if argv is None else argv
    return "DAGSTER_PIPES_CONTEXT" in os.environ or any(a in argv for a in PIPES_CLI_FLAGS)


def strip_pipes_args(argv: list[str]) -> list[str]:
    """Drop --dagster-pipes-* args (Glue/EMR pass the Pipes context on the command line)."""
    out, skip = [], False
    for a in argv:
        if skip:
            skip = False
            continue
        if a in PIPES_CLI_FLAGS:
            skip = True
            continue
        if a.startswith(tuple(f"{f}=" for f in PIPES_CLI_FLAGS)):
            continue
        out.append(a)
    return out


@contextlib.contextmanager
def pipes_session() -> Iterator[Any]:
    """open_dagster_pipes() when launched by Dagster, else a NullPipes (dagster-pipes optional)."""
    if not pipes_requested():
        yield NullPipes()
        return
    try:
        import dagster_pipes
    except ImportError:
        log.warning("launched with a Dagster Pipes context but dagster-pipes is not installed")
        yield NullPipes()
        return
    loader = (
        dagster_pipes.PipesCliArgsParamsLoader()
        if any(a in sys.argv for a in PIPES_CLI_FLAGS)
        else dagster_pipes.PipesEnvVarParamsLoader()
    )
    with dagster_pipes.open_dagster_pipes(params_loader=loader) as pipes:
        yield pipes


def report(pipes: Any, tally: RunTally, lake_root: str) -> dict[str, Any]:
    """One materialization per table (the selected feeds and dead_letter); returns the summary."""
    summary = tally.summary(lake_root)
    try:
        selected = set(pipes.asset_keys) if not isinstance(pipes, NullPipes) else None
    except Exception:  # no assets in the Pipes context (e.g. launched from an op)
        selected = set()
    for key, metadata in summary.items():
        if selected is not None and key not in selected:
            pipes.log.info(f"not reporting {key}: not among the Pipes context's assets")
            continue
        pipes.report_asset_materialization(asset_key=key, metadata=pipes_metadata(metadata))
    return summary


def pipes_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    """Pipes takes raw scalars; nested values must be declared as JSON metadata."""
    return {
        k: {"raw_value": v, "type": "json"} if isinstance(v, dict | list) else v
        for k, v in metadata.items()
    }
