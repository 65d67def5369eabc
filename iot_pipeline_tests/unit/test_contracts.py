"""The record contracts are the one source of truth: every derived schema must agree with them."""

import pyarrow as pa
import pytest

from iot_contracts import CONTRACTS, TOPICS, contract_for, lake
from iot_contracts.types import arrow_schema, duckdb_type, hive_type, spark_schema


def test_five_feeds_in_topic_order():
    assert TOPICS == ("vehicle_data", "gps_data", "traffic_data", "weather_data", "emergency_data")


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name)
def test_contract_is_well_formed(contract):
    names = contract.field_names
    assert len(names) == len(set(names)), "duplicate field names"
    assert names[:4] == ("id", "schemaVersion", "deviceId", "timestamp")
    assert contract.version >= 1
    assert set(contract.required_fields) <= set(names)


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name)
def test_derived_schemas_agree_with_contract(contract):
    fields = lake.lake_fields(contract)
    arrow = arrow_schema(fields)
    spark = spark_schema(fields)
    assert arrow.names == [f.name for f in fields] == spark.fieldNames()
    for f in fields:
        assert arrow.field(f.name).nullable is (not f.required)
        assert hive_type(f) and duckdb_type(f)


def test_location_maps_to_a_struct_everywhere():
    location = contract_for("gps_data").field("location")
    assert hive_type(location) == "struct<latitude:double,longitude:double>"
    assert pa.types.is_struct(arrow_schema((location,)).field("location").type)
    assert spark_schema((location,))["location"].dataType.fieldNames() == ["latitude", "longitude"]


def test_unknown_feed_names_the_known_ones():
    with pytest.raises(KeyError, match="vehicle_data"):
        contract_for("bogus")


def test_lake_paths_work_for_uris_and_folders():
    assert lake.table_location("s3a://bucket/prefix/", "gps_data") == "s3a://bucket/prefix/gps_data"
    assert lake.checkpoint_location("/tmp/lake", "q") == "/tmp/lake/_checkpoints/q"
    assert lake.is_hidden("_checkpoints") and lake.is_hidden(".part.crc")
    assert not lake.is_hidden("dt=2026-01-05")
