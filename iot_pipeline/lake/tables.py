"""The lake tables, materialized by the Spark streaming job, which reports back through Pipes."""

from datetime import timedelta

import dagster as dg
from pydantic import Field

from iot_contracts import TOPICS, lake
from iot_pipeline.keys import FEEDS, lake_key, topic_key
from iot_pipeline.resources.kafka import KafkaResource
from iot_pipeline.resources.lake import LakeStorage
from iot_pipeline.resources.spark import SparkJobLauncher
from iot_pipeline.schema_metadata import column_schema_metadata

# The UI's view of freshness (last materialization); the landed_recently check looks at the files.
LAKE_FRESHNESS = dg.FreshnessPolicy.time_window(
    fail_window=timedelta(hours=2), warn_window=timedelta(minutes=30)
)

LAKE_SPECS = [
    *(
        dg.AssetSpec(
            lake_key(c.table),
            deps=[topic_key(c.topic)],
            group_name="lake",
            kinds={"spark", "parquet"},
            owners=["team:iot-data-platform"],
            description=f"Lake table `{c.table}` (Parquet, partitioned by event date): {c.description}",
            metadata=column_schema_metadata(lake.lake_fields(c), lake.PARTITION_COLUMN),
            freshness_policy=LAKE_FRESHNESS,
        )
        for c in FEEDS
    ),
    dg.AssetSpec(
        lake_key(lake.DEAD_LETTER_TABLE),
        deps=[topic_key(t) for t in TOPICS],
        group_name="lake",
        kinds={"spark", "parquet"},
        owners=["team:iot-data-platform"],
        description=lake.DEAD_LETTER.description,
        metadata=column_schema_metadata(lake.DEAD_LETTER.fields, lake.PARTITION_COLUMN),
    ),
]


class StreamConfig(dg.Config):
    """How the streaming job runs: catch up and stop, or keep running on a processing-time trigger."""

    trigger: str = Field(
        default="available-now",
        description="available-now (process what is in Kafka, then stop) or processing-time=<interval>",
    )
    max_offsets_per_trigger: int | None = Field(default=None, ge=1)


@dg.multi_asset(specs=LAKE_SPECS, name="lake_tables")
def lake_tables(
    context: dg.AssetExecutionContext,
    config: StreamConfig,
    kafka: KafkaResource,
    lake_storage: LakeStorage,
    spark: SparkJobLauncher,
):
    """Stream the five topics into the Parquet lake (dead letters included) with spark_jobs/stream_to_lake.py."""
    args = [
        "--bootstrap-servers", kafka.bootstrap_servers,
        "--lake-root", lake_storage.root_uri(),
        "--trigger", config.trigger,
    ]  # fmt: skip
    if config.max_offsets_per_trigger:
        args += ["--max-offsets-per-trigger", str(config.max_offsets_per_trigger)]
    return spark.run(context, args).get_results()
