"""Every view, written once in Athena's dialect, runs on the local engine over real lake Parquet."""

import pytest

from iot_contracts import CONTRACTS, lake
from iot_pipeline.resources.catalog import DuckDBCatalog
from iot_pipeline.resources.query import DuckDBQueryEngine
from iot_pipeline.serving.views import view_names, view_sql

pytestmark = pytest.mark.integration


@pytest.fixture
def served(local_lake, tmp_path):
    root, partitions = local_lake
    db = str(tmp_path / "warehouse.duckdb")
    catalog, engine = DuckDBCatalog(path=db), DuckDBQueryEngine(path=db)
    for c in CONTRACTS:
        info = catalog.register_table(
            c.table, lake.lake_fields(c), str(root / c.table), partitions[c.table]
        )
        assert info["rows"] == 12, info  # the hidden _spark_metadata file is not read
    for name in view_names():
        engine.create_view(name, view_sql(name, catalog.database))
    return engine


def test_every_view_executes_and_returns_rows(served):
    for name in view_names():
        rows = served.query(f"SELECT * FROM iot_serving.{name}")
        assert rows, f"{name} returned nothing"


def test_journey_summary_is_sensible(served):
    rows = {r["device_id"]: r for r in served.query("SELECT * FROM iot_serving.journey_summary")}
    assert set(rows) == {"vehicle-0", "vehicle-1"}
    for r in rows.values():
        assert r["distance_km"] > 0
        assert r["duration_s"] == 50 * 60
        assert 0 < r["avg_speed_kmh"] <= r["top_speed_kmh"]
        assert r["readings"] == 6


def test_latest_position_is_one_row_per_vehicle_at_its_last_reading(served):
    rows = served.query("SELECT * FROM iot_serving.latest_position ORDER BY device_id")
    assert [r["device_id"] for r in rows] == ["vehicle-0", "vehicle-1"]
    summary = {r["device_id"]: r for r in served.query("SELECT * FROM iot_serving.journey_summary")}
    for r in rows:
        assert r["observed_at"] == summary[r["device_id"]]["last_seen_at"]
        assert 51 < r["latitude"] < 53


def test_incidents_counted_once_at_their_latest_status(served):
    rows = served.query("SELECT * FROM iot_serving.incidents_by_status")
    assert sum(r["incidents"] for r in rows) == 2
    assert {r["status"] for r in rows} == {"Resolved"}


def test_weather_and_cameras_aggregate(served):
    weather = served.query("SELECT * FROM iot_serving.weather_by_hour")
    assert sum(r["readings"] for r in weather) == 12
    cameras = served.query("SELECT * FROM iot_serving.camera_passages")
    assert sum(r["passages"] for r in cameras) == 12 and len(cameras) == 3
