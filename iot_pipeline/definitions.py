"""The Dagster code location: every layer's assets, with the active profile's resources."""

from __future__ import annotations

import dagster as dg

from iot_pipeline.catalog.tables import catalog_tables
from iot_pipeline.ingestion.topics import kafka_topics
from iot_pipeline.jobs import JOBS
from iot_pipeline.lake.tables import lake_tables
from iot_pipeline.profiles import resources_for
from iot_pipeline.serving.views import serving_views, warehouse_external_schema


def build_definitions(profile: str | None = None) -> dg.Definitions:
    return dg.Definitions(
        assets=[
            kafka_topics,
            lake_tables,
            catalog_tables,
            serving_views,
            warehouse_external_schema,
        ],
        jobs=JOBS,
        resources=resources_for(profile),
    )


defs = build_definitions()
