"""foreachBatch sink: stage a micro-batch as Parquet, then publish it exactly once (see commit.py)."""

from __future__ import annotations

import json
import logging
import time
from typing import TYPE_CHECKING

from iot_contracts.lake import DEAD_LETTER_TABLE, PARTITION_COLUMN, join
from iot_contracts.records import RecordContract
from spark_jobs import commit, parsing
from spark_jobs.lakefs import LakeFS
from spark_jobs.reporting import RunTally

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

# zstd: ~30% smaller than snappy on these string-heavy records at similar write cost, and every
# reader we target (Athena, Glue, Redshift Spectrum, DuckDB, pyarrow) decodes it; Athena bills by
# bytes scanned.
CODEC = "zstd"

log = logging.getLogger("stream_to_lake")


class LakeSink:
    """The foreachBatch function of one table's query."""

    def __init__(
        self,
        contract: RecordContract,
        fs: LakeFS,
        lake_root: str,
        checkpoint: str,
        tally: RunTally,
    ) -> None:
        self.contract = contract
        self.fs = fs
        self.lake_root = lake_root
        self.checkpoint = checkpoint
        self.log = commit.CommitLog(fs, checkpoint)
        self.tally = tally
        self._lineage: str | None = None

    @property
    def query(self) -> str:
        return self.contract.table

    def lineage(self) -> str:
        """The checkpoint's query id (stable across restarts; new when the checkpoint is reset)."""
        if self._lineage is None:
            meta = json.loads(self.fs.read_text(join(self.checkpoint, "metadata")))
            self._lineage = str(meta["id"]).replace("-", "")[:8]
        return self._lineage

    def __call__(self, batch: DataFrame, batch_id: int) -> None:
        started = time.monotonic()
        staging = commit.staging_dir(self.lake_root, self.query, batch_id)
        if self.log.committed(batch_id) is not None:
            log.info(
                "%s: batch %d already published before a restart; skipped", self.query, batch_id
            )
            self.fs.delete(staging)
            self.tally.replayed(self.query, batch_id)
            return
        manifest = self.log.pending(batch_id)
        if manifest is None:
            manifest = self._stage(batch, batch_id, staging)
            self.log.write_pending(manifest)
        else:
            log.info("%s: rolling forward batch %d after a restart", self.query, batch_id)
        commit.publish(self.fs, manifest)
        self.log.commit(batch_id)
        self.fs.delete(staging)
        if batch_id % 50 == 0:
            self.log.purge(batch_id - commit.KEEP_COMMITS)
        self.tally.published(self.query, manifest, int((time.monotonic() - started) * 1000))

    def _stage(self, batch: DataFrame, batch_id: int, staging: str) -> commit.Manifest:
        from pyspark import StorageLevel
        from pyspark.sql import Observation
        from pyspark.sql import functions as F

        # Leftovers of an attempt that crashed before its manifest was written: never published.
        self.fs.delete(staging)
        # Counts ride along with the first write (no extra Spark job per batch); the cache keeps
        # the stateful plan from running twice when dead letters need a second write.
        counts = Observation(f"{self.query}-{batch_id}")
        is_valid = F.col(parsing.VALID)
        batch = batch.observe(
            counts, F.count_if(is_valid).alias("feed"), F.count_if(~is_valid).alias("dead")
        ).persist(StorageLevel.MEMORY_AND_DISK)
        try:
            self._write(parsing.feed_rows(batch, self.contract), staging, self.contract.table)
            rows = {self.contract.table: int(counts.get["feed"])}
            dead = int(counts.get["dead"])
            if dead:
                self._write(parsing.dead_letters(batch, self.contract), staging, DEAD_LETTER_TABLE)
                rows[DEAD_LETTER_TABLE] = dead
        finally:
            batch.unpersist()
        staged = self.fs.list_files(staging)
        files = commit.plan(self.lake_root, self.query, self.lineage(), batch_id, staged, CODEC)
        return commit.Manifest(
            query=self.query, lineage=self.lineage(), batch_id=batch_id, files=files, rows=rows
        )

    def _write(self, df: DataFrame, staging: str, table: str) -> None:
        # One writer per batch: one file per table and day per micro-batch (see docs/streaming.md).
        (
            df.coalesce(1)
            .write.mode("overwrite")
            .partitionBy(PARTITION_COLUMN)
            .option("compression", CODEC)
            .parquet(join(staging, table))
        )
