"""The Dagster code location: every layer's assets, checks and sensors, with the profile's resources."""

import dagster as dg

from iot_pipeline.catalog.tables import catalog_tables
from iot_pipeline.ingestion.sensors import build_simulator_sensor
from iot_pipeline.ingestion.topics import kafka_topics
from iot_pipeline.jobs import JOBS
from iot_pipeline.lake.checks import LAKE_CHECKS
from iot_pipeline.lake.sensors import lake_freshness, stream_when_kafka_is_ahead
from iot_pipeline.lake.tables import lake_tables
from iot_pipeline.profiles import active_profile, resources_for
from iot_pipeline.serving.sensors import refresh_serving_on_lake_update
from iot_pipeline.serving.views import serving_views, warehouse_external_schema


def build_definitions(profile: str | None = None) -> dg.Definitions:
    profile = profile or active_profile()
    # Locally the simulator keeps traffic flowing; on AWS real devices do, so it starts switched off.
    simulator_status = (
        dg.DefaultSensorStatus.RUNNING if profile == "local" else dg.DefaultSensorStatus.STOPPED
    )
    return dg.Definitions(
        assets=[
            kafka_topics,
            lake_tables,
            catalog_tables,
            serving_views,
            warehouse_external_schema,
        ],
        asset_checks=LAKE_CHECKS,
        jobs=JOBS,
        sensors=[
            build_simulator_sensor(simulator_status),
            stream_when_kafka_is_ahead,
            refresh_serving_on_lake_update,
            lake_freshness,
        ],
        resources=resources_for(profile),
    )


defs = build_definitions()
