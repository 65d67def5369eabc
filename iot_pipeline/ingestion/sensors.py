"""Keeps traffic flowing: a new simulated journey whenever none runs, up to a cap."""

import os

import dagster as dg

from iot_pipeline.jobs import simulate_journey
from iot_pipeline.runs import runs_in_progress

MAX_JOURNEYS = int(os.environ.get("IOT_SIMULATOR_MAX_JOURNEYS", "20"))
JOURNEY_CONFIG = {"vehicles": 3, "as_fast_as_possible": False, "speedup": 60.0}


def build_simulator_sensor(default_status: dg.DefaultSensorStatus) -> dg.SensorDefinition:
    @dg.sensor(
        name="keep_traffic_flowing",
        job=simulate_journey,
        minimum_interval_seconds=30,
        default_status=default_status,
    )
    def keep_traffic_flowing(context: dg.SensorEvaluationContext):
        """Start a simulated journey (3 vehicles, 60x real time) when none runs, up to a cap."""
        launched = int(context.cursor or 0)
        if launched >= MAX_JOURNEYS:
            return dg.SkipReason(
                f"cap of {MAX_JOURNEYS} journeys reached (IOT_SIMULATOR_MAX_JOURNEYS)"
            )
        if runs_in_progress(context.instance, simulate_journey.name):
            return dg.SkipReason("a journey is already running")
        journey = launched + 1
        config = {**JOURNEY_CONFIG, "seed": journey}
        return dg.SensorResult(
            run_requests=[
                dg.RunRequest(
                    run_key=f"journey-{journey}",
                    run_config={"ops": {"kafka_topics": {"config": config}}},
                    tags={"iot/journey": str(journey)},
                )
            ],
            cursor=str(journey),
        )

    return keep_traffic_flowing
