"""An asset sensor: when the stream lands new lake data, refresh the catalog and the views."""

import dagster as dg

from iot_pipeline.jobs import refresh_serving
from iot_pipeline.keys import LAKE_TABLES, lake_key


def build_refresh_sensor(default_status: dg.DefaultSensorStatus) -> dg.SensorDefinition:
    @dg.multi_asset_sensor(
        monitored_assets=[lake_key(t) for t in LAKE_TABLES],
        name="refresh_serving_on_lake_update",
        job=refresh_serving,
        minimum_interval_seconds=30,
        default_status=default_status,
    )
    def refresh_serving_on_lake_update(context: dg.MultiAssetSensorEvaluationContext):
        """Register new partitions and refresh views after the lake tables are materialized."""
        latest = context.latest_materialization_records_by_key()
        updated = {key: record for key, record in latest.items() if record is not None}
        if not updated:
            return dg.SkipReason("no new lake materializations")
        newest = max(record.storage_id for record in updated.values())
        context.advance_all_cursors()
        tables = sorted(key.path[-1] for key in updated)
        return dg.RunRequest(
            run_key=f"refresh-{newest}", tags={"iot/lake_tables": ",".join(tables)}
        )

    return refresh_serving_on_lake_update
