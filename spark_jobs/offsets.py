"""A micro-batch's Kafka offsets, from the query's checkpoint, and a batch read of exactly them.

Spark writes `offsets/<batch>` (a write-ahead log) before it runs a batch: a `v1` line, the batch's
metadata (its timestamp is what `current_timestamp()` returns inside the batch) and one JSON line of
end offsets per source. A batch starts where the previous one ended; batch 0 starts at the offsets
Spark resolved `startingOffsets` to (`sources/0/0`). Re-reading that range in a batch query gives
the very records the micro-batch saw, so the sink can rebuild its dead letters from Kafka instead of
caching every batch or running its stateful plan twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from spark_jobs.lakefs import LakeFS

Offsets = dict[str, dict[str, int]]  # {topic: {partition: offset}}, as Spark logs them

# Source options that choose what a streaming query reads, or how much per trigger: a batch read
# of one logged range replaces them. (Spark's option keys are case-insensitive.)
_STREAM_ONLY_OPTIONS = {
    "subscribe",
    "subscribepattern",
    "assign",
    "startingoffsets",
    "startingoffsetsbytimestamp",
    "startingtimestamp",
    "startingoffsetsbytimestampstrategy",
    "endingoffsets",
    "endingoffsetsbytimestamp",
    "endingtimestamp",
    "maxoffsetspertrigger",
    "minoffsetspertrigger",
    "maxtriggerdelay",
}


@dataclass(frozen=True)
class BatchOffsets:
    start: Offsets
    end: Offsets
    timestamp_ms: int


def _json_lines(fs: LakeFS, path: str) -> list[Any]:
    """The JSON lines of a Spark log file (after its version line; the source file has a prefix)."""
    lines = fs.read_text(path).splitlines()
    return [json.loads(line) for line in lines[1:] if line.strip()]


def initial_offsets(fs: LakeFS, checkpoint: str) -> Offsets | None:
    """The offsets Spark resolved `startingOffsets` to for batch 0, or None before batch 0."""
    path = f"{checkpoint}/sources/0/0"
    try:
        if not fs.exists(path):
            return None
        lines = _json_lines(fs, path)
        return lines[-1] if lines else None
    except (OSError, ValueError):
        return None


def batch_offsets(fs: LakeFS, checkpoint: str, batch_id: int) -> BatchOffsets:
    """The offset range and timestamp of one micro-batch of a single-source query."""
    metadata, end = _json_lines(fs, f"{checkpoint}/offsets/{batch_id}")[:2]
    if batch_id == 0:
        start = initial_offsets(fs, checkpoint) or {}
    else:
        start = _json_lines(fs, f"{checkpoint}/offsets/{batch_id - 1}")[1]
    return BatchOffsets(start=start, end=end, timestamp_ms=int(metadata["batchTimestampMs"]))


def batch_read_options(stream_options: dict[str, str], offsets: BatchOffsets) -> dict[str, str]:
    """Kafka source options that read exactly `offsets` in a batch query.

    A partition new in this batch starts at its earliest offset, as the stream started it.
    """
    options = {k: v for k, v in stream_options.items() if k.lower() not in _STREAM_ONLY_OPTIONS}
    assign = {topic: sorted(int(p) for p in parts) for topic, parts in offsets.end.items()}
    start = {
        topic: {p: offsets.start.get(topic, {}).get(p, -2) for p in parts}
        for topic, parts in offsets.end.items()
    }
    options["assign"] = json.dumps(assign)
    options["startingOffsets"] = json.dumps(start)
    options["endingOffsets"] = json.dumps(offsets.end)
    return options


def read_batch(
    spark: SparkSession, stream_options: dict[str, str], offsets: BatchOffsets
) -> DataFrame:
    """The Kafka records of one logged micro-batch, read again (same columns as the stream's)."""
    options = batch_read_options(stream_options, offsets)
    return spark.read.format("kafka").options(**options).load()
