"""One DuckDB file plays Glue, Athena and Redshift locally: its writers must take turns, not fail."""

import subprocess
import sys
import time

import pytest

from iot_pipeline.resources import duckdb_local

HOLD = """
import duckdb, sys, time
con = duckdb.connect(sys.argv[1])
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


def _hold_lock(db: str, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, db, str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_a_writer_waits_for_another_process_to_release_the_file(tmp_path):
    db = str(tmp_path / "w.duckdb")
    holder = _hold_lock(db, 1.5)
    started = time.monotonic()
    with duckdb_local.connect(db) as con:
        assert con.execute("SELECT 42").fetchone() == (42,)
    assert time.monotonic() - started >= 0.5  # it really waited for the other process
    holder.wait(timeout=10)


def test_a_lock_held_too_long_is_a_clear_error(tmp_path, monkeypatch):
    db = str(tmp_path / "w.duckdb")
    monkeypatch.setattr(duckdb_local, "LOCK_WAIT_S", 0.3)
    holder = _hold_lock(db, 5)
    try:
        with (
            pytest.raises(RuntimeError, match="locked by another process"),
            duckdb_local.connect(db),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()
