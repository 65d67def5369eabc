"""Exactly-once publication of a micro-batch's files into the lake (pure Python over LakeFS).

Readers such as Athena, Glue crawlers and DuckDB list files and ignore Spark's `_spark_metadata`
log, so the lake itself must never show a partial, uncommitted or duplicated batch. Each batch:

1. skip it if the commit log already holds `<batch>.json` (Spark replays the last batch after a
   crash when its own commit log lags ours);
2. otherwise, unless a manifest `<batch>.pending` exists, write the batch to a hidden staging
   folder `<lake_root>/_staging/<query>/<batch>/` (a crashed attempt's leftovers are deleted
   first), then write the manifest atomically: every staged file and its final name;
3. roll forward: rename each staged file to its final name (one atomic rename per file; a file
   already moved is skipped), then rename `<batch>.pending` to `<batch>.json` -- the commit.

Final names are deterministic -- `part-<query>-<lineage>-b<batch>-<seq>.<codec>.parquet` -- so
a replay can never add a second copy: either the commit log says "done", or the manifest says
exactly which names to finish. `<lineage>` is the checkpoint's query id, so a reset checkpoint
(batch ids restart at 0) cannot overwrite an earlier lineage's files.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from iot_contracts.lake import PARTITION_COLUMN, is_hidden, join
from spark_jobs.lakefs import LakeFS

STAGING_DIR = "_staging"
COMMITS_DIR = "lake_commits"  # inside the query's checkpoint folder: reset together with it
KEEP_COMMITS = 200  # Spark only ever replays the latest batch; keep a margin for forensics


class CommitError(RuntimeError):
    """The lake and the commit log disagree in a way the protocol cannot repair by itself."""


@dataclass(frozen=True)
class PublishedFile:
    table: str
    dt: str
    staged: str
    target: str


@dataclass
class Manifest:
    query: str
    lineage: str
    batch_id: int
    files: list[PublishedFile]
    # Rows per table in this batch, e.g. {"gps_data": 120, "dead_letter": 2}.
    rows: dict[str, int] = field(default_factory=dict)
    created_at: float = field(default_factory=time.time)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        data["files"] = [PublishedFile(**f) for f in data["files"]]
        return cls(**data)

    def files_by_table(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.files:
            out[f.table] = out.get(f.table, 0) + 1
        return out

    def partitions(self, table: str) -> set[str]:
        return {f.dt for f in self.files if f.table == table}


def file_name(query: str, lineage: str, batch_id: int, seq: int, codec: str = "zstd") -> str:
    return f"part-{query}-{lineage}-b{batch_id:010d}-{seq:04d}.{codec}.parquet"


def staged_partition(path: str) -> tuple[str, str] | None:
    """(table, dt) of a data file Spark staged as .../<table>/dt=<day>/part-*.parquet."""
    parts = path.rstrip("/").split("/")
    if len(parts) < 3 or is_hidden(parts[-1]) or not parts[-1].endswith(".parquet"):
        return None
    prefix = f"{PARTITION_COLUMN}="
    if not parts[-2].startswith(prefix):
        return None
    return parts[-3], parts[-2][len(prefix) :]


def plan(
    lake_root: str,
    query: str,
    lineage: str,
    batch_id: int,
    staged_files: Iterable[str],
    codec: str = "zstd",
) -> list[PublishedFile]:
    """Final names for a batch's staged files: deterministic given the batch and its files."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for path in staged_files:
        where = staged_partition(path)
        if where is not None:
            grouped.setdefault(where, []).append(path)
    out = []
    for (table, dt), paths in sorted(grouped.items()):
        for seq, staged in enumerate(sorted(paths)):
            name = file_name(query, lineage, batch_id, seq, codec)
            target = join(lake_root, table, f"{PARTITION_COLUMN}={dt}", name)
            out.append(PublishedFile(table=table, dt=dt, staged=staged, target=target))
    return out


class CommitLog:
    """`<checkpoint>/lake_commits/<batch>.pending` (manifest) and `<batch>.json` (committed)."""

    def __init__(self, fs: LakeFS, checkpoint: str) -> None:
        self.fs = fs
        self.folder = join(checkpoint, COMMITS_DIR)

    def _path(self, batch_id: int, suffix: str) -> str:
        return join(self.folder, f"{batch_id:010d}.{suffix}")

    def committed(self, batch_id: int) -> Manifest | None:
        path = self._path(batch_id, "json")
        return Manifest.from_json(self.fs.read_text(path)) if self.fs.exists(path) else None

    def pending(self, batch_id: int) -> Manifest | None:
        path = self._path(batch_id, "pending")
        return Manifest.from_json(self.fs.read_text(path)) if self.fs.exists(path) else None

    def write_pending(self, manifest: Manifest) -> None:
        self.fs.write_text_atomic(self._path(manifest.batch_id, "pending"), manifest.to_json())

    def commit(self, batch_id: int) -> None:
        self.fs.rename(self._path(batch_id, "pending"), self._path(batch_id, "json"))

    def last_committed(self) -> int | None:
        ids = [int(n.split(".")[0]) for n in self.fs.list_dir(self.folder) if n.endswith(".json")]
        return max(ids) if ids else None

    def purge(self, before_batch: int) -> None:
        for name in self.fs.list_dir(self.folder):
            stem = name.split(".")[0]
            if name.endswith(".json") and stem.isdigit() and int(stem) < before_batch:
                self.fs.delete(join(self.folder, name))


def publish(fs: LakeFS, manifest: Manifest) -> None:
    """Move every staged file to its final name; idempotent, so a crash mid-way is rolled forward."""
    for f in manifest.files:
        if fs.exists(f.staged):
            if fs.exists(f.target):
                # Only on stores whose rename is copy+delete (S3): the copy completed, drop the source.
                fs.delete(f.staged)
            else:
                fs.rename(f.staged, f.target)
        elif not fs.exists(f.target):
            raise CommitError(
                f"batch {manifest.batch_id} of {manifest.query}: {f.target} is neither staged nor "
                "published; the staging folder was removed by hand? Restore it or reset the "
                "checkpoint."
            )


def staging_dir(lake_root: str, query: str, batch_id: int) -> str:
    return join(lake_root, STAGING_DIR, query, f"{batch_id:010d}")
