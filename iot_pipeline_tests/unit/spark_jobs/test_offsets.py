"""Reading a micro-batch's offsets from Spark's checkpoint logs, and the batch read that replays it."""

from __future__ import annotations

import json
from pathlib import Path

from spark_jobs.lakefs import LocalFS
from spark_jobs.offsets import BatchOffsets, batch_offsets, batch_read_options, initial_offsets

META = {"batchWatermarkMs": 0, "batchTimestampMs": 1796434854275, "conf": {}}


def write_checkpoint(root: Path, initial: dict, ends: list[dict]) -> str:
    """Files laid out as Spark writes them (the source file starts with a NUL byte, as Spark's)."""
    (root / "sources" / "0").mkdir(parents=True)
    (root / "sources" / "0" / "0").write_text("\x00v1\n" + json.dumps(initial))
    (root / "offsets").mkdir()
    for batch, end in enumerate(ends):
        meta = {**META, "batchTimestampMs": META["batchTimestampMs"] + batch}
        (root / "offsets" / str(batch)).write_text(f"v1\n{json.dumps(meta)}\n{json.dumps(end)}")
    return str(root)


def test_batch_ranges_chain_from_the_initial_offsets(tmp_path):
    initial = {"t": {"0": 5, "1": 0}}
    ends = [{"t": {"0": 120, "1": 80}}, {"t": {"0": 150, "1": 80}}]
    checkpoint = write_checkpoint(tmp_path, initial, ends)
    fs = LocalFS()

    assert initial_offsets(fs, checkpoint) == initial
    assert batch_offsets(fs, checkpoint, 0) == BatchOffsets(initial, ends[0], 1796434854275)
    assert batch_offsets(fs, checkpoint, 1) == BatchOffsets(ends[0], ends[1], 1796434854276)


def test_no_initial_offsets_before_the_first_batch(tmp_path):
    assert initial_offsets(LocalFS(), str(tmp_path)) is None


def test_batch_read_replaces_the_subscription_and_keeps_connection_options():
    stream = {
        "kafka.bootstrap.servers": "b:9092",
        "kafka.security.protocol": "SSL",
        "subscribe": "t",
        "startingOffsets": "earliest",
        "maxOffsetsPerTrigger": "1000",
        "includeHeaders": "false",
    }
    # Partition 2 appeared during the batch: the stream read it from its earliest offset.
    offsets = BatchOffsets({"t": {"0": 5, "1": 0}}, {"t": {"0": 9, "1": 3, "2": 4}}, 0)

    options = batch_read_options(stream, offsets)

    assert options["kafka.bootstrap.servers"] == "b:9092"
    assert options["kafka.security.protocol"] == "SSL"
    assert options["includeHeaders"] == "false"
    assert not {"subscribe", "maxOffsetsPerTrigger"} & set(options)
    assert json.loads(options["assign"]) == {"t": [0, 1, 2]}
    assert json.loads(options["startingOffsets"]) == {"t": {"0": 5, "1": 0, "2": -2}}
    assert json.loads(options["endingOffsets"]) == {"t": {"0": 9, "1": 3, "2": 4}}
