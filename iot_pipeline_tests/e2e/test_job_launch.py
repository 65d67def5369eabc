"""`dagster job launch` against a repo-style DAGSTER_HOME with a running daemon."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.instance import DagsterInstance, InstanceRef

from iot_pipeline import paths

pytestmark = [pytest.mark.integration, pytest.mark.slow]

BIN = Path(sys.executable).parent
ROOT = paths.project_root()


@pytest.fixture
def dagster_env(tmp_path, bootstrap_servers):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    # Create the storage once, before the daemon and the CLI race to migrate the same SQLite files.
    with DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
        instance.get_runs(limit=1)
    return {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "IOT_HOME": str(tmp_path / "iot"),
        "IOT_KAFKA_BOOTSTRAP_SERVERS": bootstrap_servers,
        "IOT_SENSORS": "off",  # only the run this test launches
    }


@pytest.fixture
def daemon(dagster_env):
    proc = subprocess.Popen(
        [str(BIN / "dagster-daemon"), "run", "-w", "workspace.yaml"],
        cwd=ROOT, env=dagster_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    yield proc
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def test_simulate_journey_launches_and_succeeds(dagster_env, daemon):
    config = '{"ops": {"kafka_topics": {"config": {"vehicles": 1, "max_events": 2000}}}}'
    launch = subprocess.run(
        [str(BIN / "dagster"), "job", "launch", "-j", "simulate_journey", "-w", "workspace.yaml",
         "--config-json", config],
        cwd=ROOT, env=dagster_env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert launch.returncode == 0, launch.stderr[-2000:]

    instance = DagsterInstance.from_ref(InstanceRef.from_dir(dagster_env["DAGSTER_HOME"]))
    deadline = time.monotonic() + 300
    run = None
    while time.monotonic() < deadline:
        runs = instance.get_runs(dg.RunsFilter(job_name="simulate_journey"))
        run = runs[0] if runs else None
        if run and run.is_finished:
            break
        time.sleep(2)
    assert run is not None, "the launched run never appeared"
    assert run.status == dg.DagsterRunStatus.SUCCESS, run.status
    assert run.tags.get("iot/run_kind") == "simulator"
    mat = instance.get_latest_materialization_event(dg.AssetKey(["kafka", "gps_data"]))
    assert mat is not None and mat.asset_materialization.metadata["records_produced"].value > 0
