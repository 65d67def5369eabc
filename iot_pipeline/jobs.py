"""Jobs a user launches from the UI or with `dagster job launch -j <name> -w workspace.yaml`."""

from __future__ import annotations

import dagster as dg

simulate_journey = dg.define_asset_job(
    "simulate_journey",
    selection=dg.AssetSelection.groups("ingestion"),
    tags={"iot/run_kind": "simulator"},
    description="Ensure the Kafka topics exist and drive a simulated journey into them.",
)

stream_to_lake = dg.define_asset_job(
    "stream_to_lake",
    selection=dg.AssetSelection.groups("lake"),
    tags={"iot/run_kind": "stream"},
    description="Run the Spark streaming job: Kafka topics to the Parquet lake.",
)

refresh_serving = dg.define_asset_job(
    "refresh_serving",
    selection=dg.AssetSelection.groups("catalog", "serving"),
    description="Register lake partitions in the catalog and refresh views and the external schema.",
)

iot_pipeline_job = dg.define_asset_job(
    "iot_pipeline",
    selection=dg.AssetSelection.all(),
    description="The whole way: simulate, stream to the lake, catalog, serve.",
)

JOBS = [simulate_journey, stream_to_lake, refresh_serving, iot_pipeline_job]
