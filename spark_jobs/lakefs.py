"""The few file-system operations the commit protocol needs, for local paths and Hadoop URIs.

Local lakes use Python's os (rename(2) is atomic on POSIX); anything with a scheme (s3a://, hdfs://,
file:// is treated as local) goes through Hadoop's FileSystem API via the Spark JVM, so the same
protocol runs on a laptop and on EMR/Glue against S3.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import Any, Protocol


class LakeFS(Protocol):
    def exists(self, path: str) -> bool: ...
    def list_files(self, folder: str) -> list[str]:
        """Files under folder, recursively, as full paths (missing folder: empty list)."""
        ...

    def list_dir(self, folder: str) -> list[str]:
        """Names directly inside folder (missing folder: empty list)."""
        ...

    def rename(self, src: str, dst: str) -> None: ...
    def delete(self, path: str) -> None:
        """Delete a file or folder tree; missing is fine."""
        ...

    def write_text_atomic(self, path: str, text: str) -> None: ...
    def read_text(self, path: str) -> str: ...


def is_local(uri: str) -> bool:
    return "://" not in uri or uri.startswith("file://")


def local_path(uri: str) -> str:
    return str(Path(uri.removeprefix("file://")).absolute())


class LocalFS:
    def exists(self, path: str) -> bool:
        return os.path.exists(path)

    def list_files(self, folder: str) -> list[str]:
        out: list[str] = []
        for dirpath, _dirs, files in os.walk(folder):
            out.extend(os.path.join(dirpath, f) for f in files)
        return sorted(out)

    def list_dir(self, folder: str) -> list[str]:
        try:
            return sorted(os.listdir(folder))
        except FileNotFoundError:
            return []

    def rename(self, src: str, dst: str) -> None:
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        os.rename(src, dst)

    def delete(self, path: str) -> None:
        if os.path.isdir(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)

    def write_text_atomic(self, path: str, text: str) -> None:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.tmp")
        with open(tmp, "w") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, path)

    def read_text(self, path: str) -> str:
        with open(path) as f:
            return f.read()


class HadoopFS:
    """Hadoop FileSystem through py4j; `spark` is the active SparkSession."""

    def __init__(self, spark: Any, root: str) -> None:
        jvm = spark.sparkContext._jvm
        self._jvm = jvm
        self._conf = spark.sparkContext._jsc.hadoopConfiguration()
        self._fs = jvm.org.apache.hadoop.fs.Path(root).getFileSystem(self._conf)

    def _p(self, path: str) -> Any:
        return self._jvm.org.apache.hadoop.fs.Path(path)

    def exists(self, path: str) -> bool:
        return bool(self._fs.exists(self._p(path)))

    def list_files(self, folder: str) -> list[str]:
        if not self.exists(folder):
            return []
        it = self._fs.listFiles(self._p(folder), True)
        out = []
        while it.hasNext():
            out.append(str(it.next().getPath().toString()))
        return sorted(out)

    def list_dir(self, folder: str) -> list[str]:
        if not self.exists(folder):
            return []
        return sorted(str(s.getPath().getName()) for s in self._fs.listStatus(self._p(folder)))

    def rename(self, src: str, dst: str) -> None:
        self._fs.mkdirs(self._p(dst).getParent())
        if not self._fs.rename(self._p(src), self._p(dst)):
            raise OSError(f"rename {src} -> {dst} failed")

    def delete(self, path: str) -> None:
        self._fs.delete(self._p(path), True)

    def write_text_atomic(self, path: str, text: str) -> None:
        # Object stores (S3) make a PUT visible all at once; on HDFS we write a hidden temp + rename.
        parent = path.rsplit("/", 1)[0]
        tmp = f"{parent}/.{path.rsplit('/', 1)[1]}.tmp"
        out = self._fs.create(self._p(tmp), True)
        try:
            out.write(bytearray(text.encode()))
        finally:
            out.close()
        self._fs.delete(self._p(path), False)
        if not self._fs.rename(self._p(tmp), self._p(path)):
            raise OSError(f"rename {tmp} -> {path} failed")

    def read_text(self, path: str) -> str:
        stream = self._fs.open(self._p(path))
        try:
            data = self._jvm.org.apache.commons.io.IOUtils.toByteArray(stream)
        finally:
            stream.close()
        return bytes(data).decode()


def for_root(lake_root: str, spark: Any | None = None) -> tuple[LakeFS, str]:
    """The file system for a lake root, and the root as that file system spells it."""
    if is_local(lake_root):
        return LocalFS(), local_path(lake_root)
    if spark is None:
        raise ValueError(f"{lake_root} needs Hadoop's FileSystem, i.e. a SparkSession")
    return HadoopFS(spark, lake_root), lake_root.rstrip("/")
