"""`iot-simulator run`: option validation (one line, exit 2), JSON-lines output, summary, signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from simulator.cli import main

BAD = [
    (["run", "--vehicles", "0"], "--vehicles"),
    (["run", "--vehicles", "three"], "--vehicles"),
    (["run", "--seed", "x"], "--seed"),
    (["run", "--seed", "-1"], "--seed"),
    (["run", "--max-events", "-5"], "--max-events"),
    (["run", "--duration", "0"], "--duration"),
    (["run", "--speedup", "-2"], "--speedup"),
    (["run", "--speedup", "2", "--as-fast-as-possible"], "--as-fast-as-possible"),
    (["run", "--output", "csv"], "--output"),
    (["run", "--bootstrap-servers", "localhost"], "--bootstrap-servers"),
    (["run", "--bootstrap-servers", "h:99999"], "--bootstrap-servers"),
    (["run", "--start-time", "2026-01-05T08:00:00"], "--start-time"),
    (["run", "--start-time", "yesterday"], "--start-time"),
    (["run", "--duplicate-rate", "1.5"], "--duplicate-rate"),
    (["run", "--late-rate", "-0.1"], "--late-rate"),
    (["run", "--malformed-rate", "lots"], "--malformed-rate"),
    (["run", "--dropout-rate", "2"], "--dropout-rate"),
    (["run", "--max-lateness", "0"], "--max-lateness"),
    (["run", "--departure-window", "-1"], "--departure-window"),
    (["run", "--output", "jsonl", "--json"], "--json"),
    (["run", "--frobnicate"], "--frobnicate"),
    (["walk"], "walk"),
    ([], "command"),
]


@pytest.mark.parametrize(("argv", "mentions"), BAD, ids=[" ".join(a) or "none" for a, _ in BAD])
def test_invalid_options_exit_2_with_one_line(argv, mentions, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith("iot-simulator") and "error:" in err
    assert mentions in err


def test_jsonl_to_a_file_with_json_summary(tmp_path: Path, capsys):
    out = tmp_path / "events.jsonl"
    code = main(["run", "--vehicles", "2", "--as-fast-as-possible", "--max-events", "2500",
                 "--output", "jsonl", "--out", str(out), "--json"])  # fmt: skip
    assert code == 0
    captured = capsys.readouterr()
    summary = orjson.loads(captured.out)
    lines = out.read_bytes().splitlines()
    assert len(lines) == summary["events"] == 2500
    first = orjson.loads(lines[0])
    assert set(first) == {"topic", "key", "value"} and isinstance(first["value"], dict)
    assert first["key"] == first["value"]["deviceId"]
    assert "vehicle_data" in captured.err  # the human summary goes to stderr


def test_jsonl_to_stdout_is_the_only_stdout(capsysbinary):
    assert main(["run", "--as-fast-as-possible", "--max-events", "50", "--output", "jsonl",
                 "--quiet"]) == 0  # fmt: skip
    lines = capsysbinary.readouterr().out.splitlines()
    assert len(lines) == 50
    assert all(orjson.loads(line)["topic"] for line in lines)


def test_sigterm_flushes_and_summarises(tmp_path: Path):
    out = tmp_path / "events.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator.cli", "run", "--vehicles", "2", "--speedup", "20",
         "--output", "jsonl", "--out", str(out), "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (out.exists() and out.stat().st_size > 0):
        time.sleep(0.2)  # the sink writes in blocks: wait for the first
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    summary = orjson.loads(stdout)
    assert summary["stopped_by"] == "signal"
    assert summary["events"] == len(out.read_bytes().splitlines()) > 0
    assert b"stopped by signal" in stderr
