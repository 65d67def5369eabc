"""View SQL is written once in Athena's (Trino) dialect and translated for DuckDB."""

import pytest
import sqlglot

from iot_pipeline.resources.query import to_duckdb
from iot_pipeline.serving.views import VIEW_SPECS, view_names, view_sql

VIEWS = view_names()


def test_the_five_views_exist():
    assert set(VIEWS) >= {
        "latest_position",
        "journey_summary",
        "weather_by_hour",
        "incidents_by_status",
        "camera_passages",
    }


@pytest.mark.parametrize("name", VIEWS)
def test_view_parses_in_trino_and_translates_to_duckdb(name):
    sql = view_sql(name, "iot_catalog")
    assert sqlglot.parse_one(sql, read="trino") is not None
    translated = to_duckdb(sql)
    assert "iot_catalog." in translated
    sqlglot.parse_one(translated, read="duckdb")


def test_each_view_depends_on_the_catalog_tables_it_reads():
    for spec in VIEW_SPECS:
        assert spec.deps, f"{spec.key} reads no catalog table"
        for dep in spec.deps:
            assert dep.asset_key.path[0] == "catalog"
