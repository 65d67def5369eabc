"""The Dagster code location: every layer's assets, checks and sensors, with the profile's resources."""

import os

import dagster as dg

from iot_pipeline.catalog.tables import catalog_tables
from iot_pipeline.ingestion.sensors import build_simulator_sensor
from iot_pipeline.ingestion.topics import kafka_topics
from iot_pipeline.jobs import JOBS
from iot_pipeline.lake.checks import LAKE_CHECKS
from iot_pipeline.lake.sensors import build_freshness_sensor, build_stream_sensor
from iot_pipeline.lake.tables import lake_tables
from iot_pipeline.profiles import active_profile, resources_for
from iot_pipeline.serving.journey_map import journey_map
from iot_pipeline.serving.sensors import build_refresh_sensor
from iot_pipeline.serving.views import serving_views, warehouse_external_schema


def build_definitions(profile: str | None = None) -> dg.Definitions:
    profile = profile or active_profile()
    # Locally the simulator keeps traffic flowing; on AWS real devices do, so it starts switched off.
    # IOT_SENSORS=off starts every sensor switched off (a quiet UI, or a daemon under test).
    automation_on = os.environ.get("IOT_SENSORS", "on").lower() != "off"
    simulator_on = automation_on and profile == "local"
    on, off = dg.DefaultSensorStatus.RUNNING, dg.DefaultSensorStatus.STOPPED
    return dg.Definitions(
        assets=[
            kafka_topics,
            lake_tables,
            catalog_tables,
            serving_views,
            warehouse_external_schema,
            journey_map,
        ],
        asset_checks=LAKE_CHECKS,
        jobs=JOBS,
        # One process per run: the heavy work is Spark's own process; forking a Python per check
        # step costs more than the checks, and DuckDB writers then never contend within a run.
        executor=dg.in_process_executor,
        sensors=[
            build_simulator_sensor(on if simulator_on else off),
            build_stream_sensor(on if automation_on else off),
            build_refresh_sensor(on if automation_on else off),
            build_freshness_sensor(on if automation_on else off),
        ],
        resources=resources_for(profile),
    )


defs = build_definitions()
