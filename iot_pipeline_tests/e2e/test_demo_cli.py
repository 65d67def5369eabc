"""`iot-pipeline demo --json` as a user runs it: its own broker, lake and Dagster home."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from iot_contracts import TOPICS
from iot_pipeline.stack.broker import KafkaBroker, free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]

BIN = Path(sys.executable).parent


def test_demo_reconciles_every_feed_and_prints_json_last(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "IOT_HOME": str(tmp_path / "iot"),
        "IOT_KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{port}",
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
    }
    try:
        proc = subprocess.run(
            [str(BIN / "iot-pipeline"), "demo", "--vehicles", "1", "--seed", "3", "--json"],
            env=env, capture_output=True, text=True, timeout=1200,
        )  # fmt: skip
    finally:
        stopped = KafkaBroker(home=tmp_path / "iot" / "kafka", port=port).down()
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert stopped, "the demo should have started its own broker"
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    for topic in TOPICS:
        assert summary["topics"][topic] > 0
        assert summary["tables"][topic] == summary["topics"][topic], topic
    assert summary["tables"]["dead_letter"] == 0
    assert summary["reconciled"] is True
    assert summary["example_query"]["rows"][0]["distance_km"] > 150
    assert "all five feeds reconcile" in proc.stdout


def test_demo_rejects_bad_options_with_one_line_and_exit_2():
    proc = subprocess.run(
        [str(BIN / "iot-pipeline"), "demo", "--vehicles", "zero"], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1
