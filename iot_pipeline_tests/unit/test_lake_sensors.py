"""lake_freshness and refresh_serving_on_lake_update across their cursor cases."""

import json
import os
from datetime import UTC, datetime, timedelta

import dagster as dg

from iot_contracts import GPS
from iot_pipeline.keys import lake_key
from iot_pipeline.lake.sensors import evaluate_freshness_sensor
from iot_pipeline.resources.lake import LocalLake
from iot_pipeline.serving.sensors import STREAM_RUN_MARKER, build_refresh_sensor
from iot_pipeline_tests.lake_fixtures import valid_row, write_table

REFRESH = build_refresh_sensor(dg.DefaultSensorStatus.RUNNING)


def _freshness_tick(lake_root, cursor=None, now=None):
    context = dg.build_sensor_context(cursor=cursor)
    return evaluate_freshness_sensor(context, LocalLake(path=str(lake_root)), now=now)


def test_empty_lake_is_flagged_stale_once(lake_root):
    first = _freshness_tick(lake_root)
    assert first.asset_events and not any(e.passed for e in first.asset_events)
    again = _freshness_tick(lake_root, cursor=first.cursor)
    assert again.asset_events == []  # verdicts unchanged: nothing new to record


def test_fresh_file_turns_the_table_green_and_ageing_turns_it_stale(lake_root):
    stale_cursor = _freshness_tick(lake_root).cursor
    path = write_table(lake_root, GPS, [valid_row(GPS, 0)])
    fresh = _freshness_tick(lake_root, cursor=stale_cursor)
    (event,) = fresh.asset_events
    assert event.asset_key == lake_key("gps_data") and event.passed
    assert json.loads(fresh.cursor)["gps_data"] is True

    old = (datetime.now(UTC) - timedelta(hours=3)).timestamp()
    os.utime(path, (old, old))
    stale = _freshness_tick(lake_root, cursor=fresh.cursor)
    (event,) = stale.asset_events
    assert not event.passed and event.severity == dg.AssetCheckSeverity.WARN


def test_asset_sensor_requests_a_refresh_once_per_stream_run():
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(instance=instance)
        assert not list(REFRESH.evaluate_tick(context).run_requests)

        instance.report_runless_asset_event(dg.AssetMaterialization(STREAM_RUN_MARKER))
        first = REFRESH.evaluate_tick(context)
        (request,) = first.run_requests
        assert request.job_name in (None, "refresh_serving")

        again = REFRESH.evaluate_tick(
            dg.build_sensor_context(instance=instance, cursor=first.cursor)
        )
        assert not list(again.run_requests)  # the same materialization never triggers twice
