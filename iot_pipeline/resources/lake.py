"""Lake storage: where the Parquet tables live (a local folder, or S3) and what has landed there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg
from pydantic import Field

from iot_contracts import lake


@dataclass(frozen=True)
class DataFile:
    """One committed Parquet file of a table, as a catalog reader (Athena, DuckDB) would list it."""

    path: str
    size: int
    modified: datetime
    partition: str  # e.g. "dt=2026-01-05"


def _visible(relative_parts: tuple[str, ...]) -> bool:
    return not any(lake.is_hidden(p) for p in relative_parts)


class LakeStorage(dg.ConfigurableResource):
    """Base for the lake's location; subclasses know how to list files where the lake lives."""

    def root_uri(self) -> str:
        """The lake root as the Spark job should see it (path or s3a:// URI)."""
        raise NotImplementedError

    def table_uri(self, table: str) -> str:
        return lake.table_location(self.root_uri(), table)

    def data_files(self, table: str) -> list[DataFile]:
        """Committed Parquet files of a table, skipping hidden (`_`/`.`) files and folders."""
        raise NotImplementedError

    def arrow_filesystem(self) -> tuple[Any, str]:
        """A pyarrow filesystem and the root path on it, for reading tables without Spark."""
        raise NotImplementedError

    def spark_conf(self) -> dict[str, str]:
        """Spark settings the job needs to reach this lake (e.g. S3A's endpoint); none locally."""
        return {}

    def newest_file_time(self, table: str) -> datetime | None:
        files = self.data_files(table)
        return max((f.modified for f in files), default=None)

    def read_table(self, table: str, columns: list[str] | None = None) -> Any:
        """The table as a pyarrow Table, read the way Athena lists files (hive partitions)."""
        import pyarrow.dataset as ds

        fs, root = self.arrow_filesystem()
        files = [f.path for f in self.data_files(table)]
        if not files:
            return None
        dataset = ds.dataset(
            files,
            filesystem=fs,
            format="parquet",
            partitioning=ds.partitioning(flavor="hive"),
            partition_base_dir=lake.join(root, table),
        )
        return dataset.to_table(columns=columns)


class LocalLake(LakeStorage):
    """The lake in a local folder (profile `local`); the same layout as on S3."""

    path: str = Field(default=".iot/lake", description="Lake root folder")

    def root(self) -> Path:
        return Path(self.path).expanduser().resolve()

    def root_uri(self) -> str:
        return str(self.root())

    def arrow_filesystem(self) -> tuple[Any, str]:
        from pyarrow import fs

        return fs.LocalFileSystem(), str(self.root())

    def data_files(self, table: str) -> list[DataFile]:
        base = self.root() / table
        if not base.is_dir():
            return []
        found = []
        for file in base.rglob("*.parquet"):
            rel = file.relative_to(base).parts
            if not _visible(rel):
                continue
            stat = file.stat()
            partition = "/".join(rel[:-1])
            modified = datetime.fromtimestamp(stat.st_mtime, tz=UTC)
            found.append(DataFile(str(file), stat.st_size, modified, partition))
        return sorted(found, key=lambda f: f.path)
