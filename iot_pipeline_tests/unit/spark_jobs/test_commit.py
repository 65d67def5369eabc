"""The exactly-once publish protocol, with a crash injected after every possible step."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from iot_contracts.lake import is_hidden
from spark_jobs import commit
from spark_jobs.lakefs import LocalFS


class Crash(Exception):
    """Stands in for kill -9."""


class CrashingFS(LocalFS):
    """LocalFS that dies before its n-th mutating operation."""

    def __init__(self, crash_at: int | None) -> None:
        self.crash_at = crash_at
        self.ops = 0

    def _tick(self) -> None:
        if self.crash_at is not None and self.ops == self.crash_at:
            raise Crash
        self.ops += 1

    def rename(self, src: str, dst: str) -> None:
        self._tick()
        super().rename(src, dst)

    def delete(self, path: str) -> None:
        self._tick()
        super().delete(path)

    def write_text_atomic(self, path: str, text: str) -> None:
        self._tick()
        super().write_text_atomic(path, text)


def visible_files(lake: Path) -> list[str]:
    """What an Athena-style reader lists: <table>/dt=*/ files, hidden names skipped."""
    out = []
    for table in sorted(p for p in lake.iterdir() if p.is_dir() and not is_hidden(p.name)):
        for part in sorted(table.glob("dt=*")):
            out += [f"{table.name}/{part.name}/{f.name}" for f in sorted(part.iterdir())
                    if not is_hidden(f.name)]  # fmt: skip
    return out


def stage(fs: LocalFS, lake: Path, batch_id: int) -> list[str]:
    """What Spark's write leaves in staging: data files, plus hidden crc/_SUCCESS noise."""
    staging = Path(commit.staging_dir(str(lake), "gps_data", batch_id))
    files = {
        "gps_data/dt=2026-12-04/part-00000-aaa.c000.zstd.parquet": f"b{batch_id}-1",
        "gps_data/dt=2026-12-05/part-00000-bbb.c000.zstd.parquet": f"b{batch_id}-2",
        "gps_data/dt=2026-12-05/.part-00000-bbb.c000.zstd.parquet.crc": "crc",
        "dead_letter/dt=2026-12-05/part-00000-ccc.c000.zstd.parquet": f"b{batch_id}-3",
        "gps_data/_SUCCESS": "",
    }
    for rel, text in files.items():
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        (staging / rel).write_text(text)
    return fs.list_files(str(staging))


def run_batch(fs: LocalFS, lake: Path, batch_id: int) -> str:
    """The sink's protocol for one batch (sink.LakeSink.__call__ without Spark)."""
    checkpoint = str(lake / "_checkpoints" / "gps_data")
    log = commit.CommitLog(fs, checkpoint)
    staging = commit.staging_dir(str(lake), "gps_data", batch_id)
    if log.committed(batch_id) is not None:
        fs.delete(staging)
        return "skipped"
    manifest = log.pending(batch_id)
    outcome = "rolled-forward"
    if manifest is None:
        fs.delete(staging)
        files = commit.plan(str(lake), "gps_data", "lin00001", batch_id, stage(fs, lake, batch_id))
        manifest = commit.Manifest("gps_data", "lin00001", batch_id, files, {"gps_data": 2})
        log.write_pending(manifest)
        outcome = "published"
    commit.publish(fs, manifest)
    log.commit(batch_id)
    fs.delete(staging)
    return outcome


def test_plan_names_are_deterministic_and_skip_hidden_files(tmp_path):
    fs = LocalFS()
    staged = stage(fs, tmp_path, 7)
    first = commit.plan(str(tmp_path), "gps_data", "lin00001", 7, staged)
    again = commit.plan(str(tmp_path), "gps_data", "lin00001", 7, list(reversed(staged)))
    assert first == again
    assert [(f.table, f.dt, Path(f.target).name) for f in first] == [
        ("dead_letter", "2026-12-05", "part-gps_data-lin00001-b0000000007-0000.zstd.parquet"),
        ("gps_data", "2026-12-04", "part-gps_data-lin00001-b0000000007-0000.zstd.parquet"),
        ("gps_data", "2026-12-05", "part-gps_data-lin00001-b0000000007-0000.zstd.parquet"),
    ]
    assert first[1].target == f"{tmp_path}/gps_data/dt=2026-12-04/{Path(first[1].target).name}"


def test_staged_partition():
    assert commit.staged_partition("/s/gps_data/dt=2026-12-04/part-1.parquet") == (
        "gps_data",
        "2026-12-04",
    )
    assert commit.staged_partition("/s/gps_data/dt=2026-12-04/.part-1.parquet.crc") is None
    assert commit.staged_partition("/s/gps_data/_SUCCESS") is None
    assert commit.staged_partition("/s/gps_data/x/part-1.parquet") is None


def test_happy_path_publishes_once_and_replay_is_skipped(tmp_path):
    fs = LocalFS()
    assert run_batch(fs, tmp_path, 0) == "published"
    assert run_batch(fs, tmp_path, 1) == "published"
    files = visible_files(tmp_path)
    assert len(files) == 6
    assert run_batch(fs, tmp_path, 1) == "skipped"  # Spark replays the last batch after a crash
    assert visible_files(tmp_path) == files
    assert not any((tmp_path / "_staging" / "gps_data").iterdir())
    assert commit.CommitLog(fs, str(tmp_path / "_checkpoints/gps_data")).last_committed() == 1


@pytest.mark.parametrize("crash_at", range(12))
def test_crash_at_any_step_then_restart_shows_each_file_exactly_once(tmp_path, crash_at):
    """Kill the publisher before its n-th file operation, restart, and compare with no crash."""
    reference = tmp_path / "reference"
    reference.mkdir()
    run_batch(LocalFS(), reference, 3)
    expected = visible_files(reference)

    lake = tmp_path / "lake"
    lake.mkdir()
    crashing = CrashingFS(crash_at)
    try:
        run_batch(crashing, lake, 3)
        crashed = False
    except Crash:
        crashed = True
    # Whatever a reader sees mid-way is a subset of the batch: never a duplicate or a stray file.
    assert set(visible_files(lake)) <= set(expected)
    assert run_batch(LocalFS(), lake, 3) in (
        ("skipped",) if not crashed else ("published", "rolled-forward", "skipped")
    )
    assert visible_files(lake) == expected
    for f in visible_files(lake):
        assert (lake / f).read_text() == (reference / f).read_text()


def test_roll_forward_finishes_the_manifest_it_started(tmp_path):
    fs = CrashingFS(crash_at=3)  # delete staging, write manifest, rename 1 file, then die
    with pytest.raises(Crash):
        run_batch(fs, tmp_path, 0)
    assert len(visible_files(tmp_path)) == 1
    assert run_batch(LocalFS(), tmp_path, 0) == "rolled-forward"
    assert len(visible_files(tmp_path)) == 3


def test_missing_staged_and_published_file_is_an_error(tmp_path):
    fs = LocalFS()
    files = commit.plan(str(tmp_path), "gps_data", "lin", 0, stage(fs, tmp_path, 0))
    manifest = commit.Manifest("gps_data", "lin", 0, files)
    fs.delete(files[0].staged)
    with pytest.raises(commit.CommitError, match="neither staged nor published"):
        commit.publish(fs, manifest)


def test_manifest_round_trip_and_purge(tmp_path):
    fs = LocalFS()
    log = commit.CommitLog(fs, str(tmp_path / "cp"))
    for batch_id in range(5):
        m = commit.Manifest("q", "lin", batch_id, [], {"q": batch_id})
        log.write_pending(m)
        assert log.pending(batch_id) == m
        log.commit(batch_id)
        assert log.committed(batch_id).rows == {"q": batch_id}
        assert log.pending(batch_id) is None
    log.purge(before_batch=3)
    assert [log.committed(b) is not None for b in range(5)] == [False, False, False, True, True]
    assert log.last_committed() == 4


def test_lineages_never_collide():
    names = {
        commit.file_name(q, lin, b, s)
        for q, lin, b, s in itertools.product(["a", "b"], ["l1", "l2"], [0, 1], [0, 1])
    }
    assert len(names) == 16
