import json

from spark_jobs import commit
from spark_jobs.reporting import (
    NullPipes,
    RunTally,
    duration_summary,
    offset_ranges,
    report,
)


def progress(batch_id, start, end, rows=10, late=0, dups=0, ms=100):
    return {
        "batchId": batch_id,
        "numInputRows": rows,
        "durationMs": {"triggerExecution": ms},
        "sources": [{"startOffset": json.dumps(start) if start else None,
                     "endOffset": json.dumps(end)}],
        "stateOperators": [{"numRowsDroppedByWatermark": late,
                            "customMetrics": {"numDroppedDuplicateRows": dups}}],
    }  # fmt: skip


def manifest(batch_id, rows, dead, lake="/lake"):
    files = [commit.PublishedFile("gps_data", "2026-12-04", "s", f"{lake}/gps_data/x{batch_id}")]
    if dead:
        files.append(commit.PublishedFile("dead_letter", "2026-12-05", "s", "t"))
    return commit.Manifest(
        "gps_data", "lin", batch_id, files, {"gps_data": rows, "dead_letter": dead}
    )


def test_offset_ranges_span_the_run_and_use_initial_offsets_for_batch_0():
    events = [
        progress(0, None, {"gps_data": {"0": 5, "1": 3}}),
        progress(1, {"gps_data": {"0": 5, "1": 3}}, {"gps_data": {"0": 9, "1": 3}}),
    ]
    assert offset_ranges(events, {"gps_data": {"0": 0, "1": 1}}) == {
        "gps_data/0": {"start": 0, "end": 9},
        "gps_data/1": {"start": 1, "end": 3},
    }
    assert offset_ranges(events[1:]) == {
        "gps_data/0": {"start": 5, "end": 9},
        "gps_data/1": {"start": 3, "end": 3},
    }


def test_table_metadata_counts_only_batches_this_run_published():
    tally = RunTally(("gps_data",))
    tally.replayed("gps_data", 4)  # written by the crashed run: not this run's work
    tally.published("gps_data", manifest(5, rows=8, dead=1), 30)
    tally.published("gps_data", manifest(6, rows=7, dead=0), 50)
    tally.progress("gps_data", [
        progress(4, {"gps_data": {"0": 0}}, {"gps_data": {"0": 10}}, dups=9),
        progress(5, {"gps_data": {"0": 10}}, {"gps_data": {"0": 20}}, dups=1),
        progress(6, {"gps_data": {"0": 20}}, {"gps_data": {"0": 30}}, late=2, dups=1, ms=300),
    ])  # fmt: skip
    tally.progress("gps_data", [progress(6, None, {"gps_data": {"0": 30}}, late=2, dups=1)])
    meta = tally.table_metadata("gps_data", "/lake")
    assert meta["rows_written"] == 15
    assert meta["dead_letters"] == 1
    assert meta["files_written"] == 2
    assert meta["duplicates_dropped"] == 2
    assert meta["late_dropped"] == 2
    assert meta["kafka_records_read"] == 20
    assert meta["batches"] == 2 and meta["batches_replayed_after_restart"] == 1
    assert meta["batch_duration_ms"]["count"] == 2
    assert meta["path"] == "/lake/gps_data"
    dead = tally.dead_letter_metadata("/lake")
    assert dead["rows_written"] == 1 and dead["rows_by_topic"] == {"gps_data": 1}


def test_duration_summary():
    assert duration_summary([]) == {"count": 0}
    assert duration_summary([1, 3, 10]) == {"count": 3, "p50": 3, "max": 10, "total": 14}


class FakePipes:
    def __init__(self, keys):
        self.asset_keys = keys
        self.reported = []
        self.log = NullPipes.log

    def report_asset_materialization(self, asset_key, metadata):
        self.reported.append(asset_key)


def test_one_materialization_per_table_and_dead_letter():
    tally = RunTally(("gps_data", "vehicle_data"))
    pipes = FakePipes(["lake/gps_data", "lake/vehicle_data", "lake/dead_letter", "other"])
    summary = report(pipes, tally, "/lake")
    assert pipes.reported == ["lake/gps_data", "lake/vehicle_data", "lake/dead_letter"]
    assert set(summary) == set(pipes.reported)


def test_assets_outside_the_pipes_selection_are_not_reported():
    pipes = FakePipes(["lake/gps_data"])
    report(pipes, RunTally(("gps_data", "vehicle_data")), "/lake")
    assert pipes.reported == ["lake/gps_data"]


def test_outside_dagster_reporting_is_a_no_op():
    summary = report(NullPipes(), RunTally(("gps_data",)), "/lake")
    assert summary["lake/gps_data"]["status"] == "ok"
