"""The lake's asset checks pass on clean data and fail on corrupted inputs."""

import os
from datetime import UTC, datetime, timedelta

import dagster as dg
import pyarrow as pa
import pytest

from iot_contracts import GPS, VEHICLE, lake
from iot_contracts.types import arrow_schema
from iot_pipeline.lake import quality
from iot_pipeline.lake.checks import LAKE_CHECKS
from iot_pipeline.resources.lake import LocalLake
from iot_pipeline_tests.lake_fixtures import valid_row, write_table


def _run_checks(lake_root, table: str) -> dict[str, dg.AssetCheckResult]:
    checks = [c for c in LAKE_CHECKS if any(k.asset_key.path[-1] == table for k in c.check_keys)]
    resources = {"lake_storage": LocalLake(path=str(lake_root))}
    results = {}
    with dg.DagsterInstance.ephemeral() as instance:
        for check in checks:
            (key,) = check.check_keys
            context = dg.build_asset_check_context(resources=resources, instance=instance)
            results[key.name] = check(context)
    return results


def test_clean_table_passes_every_check(lake_root):
    write_table(lake_root, GPS, [valid_row(GPS, i) for i in range(20)])
    results = _run_checks(lake_root, "gps_data")
    assert {"matches_contract", "unique_event_ids", "physically_plausible"} <= set(results)
    # Without stream runs on record, 20 rows cannot be reconciled with Kafka: that check must say so.
    reconciliation = results.pop("reconciles_with_kafka")
    assert not reconciliation.passed and reconciliation.metadata["unaccounted"].value == -20
    assert all(r.passed for r in results.values()), {k: r.metadata for k, r in results.items()}


def test_duplicate_ids_fail_the_blocking_check(lake_root):
    rows = [valid_row(GPS, i) for i in range(5)] + [valid_row(GPS, 0)]
    write_table(lake_root, GPS, rows)
    result = _run_checks(lake_root, "gps_data")["unique_event_ids"]
    assert not result.passed
    assert result.metadata["duplicates"].value == 1


def test_missing_and_mistyped_columns_fail_schema_conformance(lake_root):
    schema = arrow_schema(lake.lake_fields(GPS))
    schema = schema.remove(schema.get_field_index("accuracy"))
    schema = schema.set(schema.get_field_index("speed"), pa.field("speed", pa.string()))
    rows = [
        {k: v for k, v in valid_row(GPS, i, speed="fast").items() if k != "accuracy"}
        for i in range(3)
    ]
    write_table(lake_root, GPS, rows, schema=schema)
    result = _run_checks(lake_root, "gps_data")["matches_contract"]
    assert not result.passed
    assert "accuracy" in result.metadata["missing"].value
    assert any(m.startswith("speed") for m in result.metadata["mistyped"].value)


def test_impossible_speed_and_position_fail_plausibility(lake_root):
    rows = [
        valid_row(VEHICLE, 0, speed=480.0),
        valid_row(VEHICLE, 1, location={"latitude": 40.0, "longitude": 2.0}),
    ]
    write_table(lake_root, VEHICLE, rows)
    result = _run_checks(lake_root, "vehicle_data")["physically_plausible"]
    assert not result.passed
    assert result.metadata["speed_out_of_range"].value == 1
    assert result.metadata["outside_corridor"].value == 1


def test_freshness_fails_on_stale_files_and_passes_on_fresh(lake_root):
    path = write_table(lake_root, GPS, [valid_row(GPS, 0)])
    assert _run_checks(lake_root, "gps_data")["landed_recently"].passed
    stale = (datetime.now(UTC) - timedelta(days=2)).timestamp()
    os.utime(path, (stale, stale))
    result = _run_checks(lake_root, "gps_data")["landed_recently"]
    assert not result.passed
    assert result.severity == dg.AssetCheckSeverity.WARN


def test_hidden_files_are_invisible_to_checks_like_to_athena(lake_root):
    write_table(lake_root, GPS, [valid_row(GPS, 0)])
    write_table(lake_root, GPS, [valid_row(GPS, 0)], name=".part-tmp.parquet")
    write_table(lake_root, GPS, [valid_row(GPS, 0)], dt="x", name="part-0.parquet")
    (lake_root / "gps_data" / "dt=x").rename(lake_root / "gps_data" / "_staging")
    assert LocalLake(path=str(lake_root)).read_table("gps_data").num_rows == 1
    assert _run_checks(lake_root, "gps_data")["unique_event_ids"].passed


@pytest.mark.parametrize(
    ("dead", "valid", "passed"), [(0, 100, True), (5, 95, True), (6, 94, False), (0, 0, True)]
)
def test_dead_letter_rate_threshold(dead, valid, passed):
    assert quality.dead_letter_rate(dead, valid, threshold=0.05)[0] is passed


def test_reconciliation_accounts_for_every_record():
    assert quality.reconciliation(100, 90, 6, 4)[0]
    ok, meta = quality.reconciliation(100, 90, 6, 0)
    assert not ok and meta["unaccounted"] == 4
