"""An asset sensor: when the stream lands new lake data, refresh the catalog and the views."""

import dagster as dg

from iot_contracts import lake
from iot_pipeline.jobs import refresh_serving
from iot_pipeline.keys import lake_key

# Every stream run reports all lake tables, dead_letter included (even when it is empty), so one
# materialization of dead_letter marks one finished stream run: one refresh per run, not per table.
STREAM_RUN_MARKER = lake_key(lake.DEAD_LETTER_TABLE)


def build_refresh_sensor(default_status: dg.DefaultSensorStatus) -> dg.SensorDefinition:
    @dg.asset_sensor(
        asset_key=STREAM_RUN_MARKER,
        name="refresh_serving_on_lake_update",
        job=refresh_serving,
        minimum_interval_seconds=30,
        default_status=default_status,
    )
    def refresh_serving_on_lake_update(
        context: dg.SensorEvaluationContext, asset_event: dg.EventLogEntry
    ):
        """Register new partitions and refresh views after each stream run lands in the lake."""
        return dg.RunRequest(
            run_key=f"refresh-after-{asset_event.run_id}",
            tags={"iot/lake_run_id": asset_event.run_id},
        )

    return refresh_serving_on_lake_update
