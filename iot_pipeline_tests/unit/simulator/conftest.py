"""Journeys shared by the simulator unit tests (each full run takes well under a second)."""

from __future__ import annotations

import pytest

from iot_pipeline_tests.unit.simulator.sim_helpers import run_memory


@pytest.fixture(scope="session")
def journey_3():
    """A full London <-> Birmingham journey for 3 vehicles (both directions), no faults."""
    return run_memory(vehicles=3, seed=7)


@pytest.fixture(scope="session")
def faulty_run():
    """A shortened run with every fault switched on."""
    return run_memory(
        vehicles=4, seed=11, max_events=30_000, duplicate_rate=0.05, late_rate=0.05,
        max_lateness_s=120, malformed_rate=0.05, dropout_rate=0.1,
    )  # fmt: skip
