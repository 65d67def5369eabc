"""GlueCatalog against moto's Glue: tables from the contracts, partitions as they land, drift reported."""

import boto3
import pytest

from iot_contracts import VEHICLE, lake
from iot_pipeline.resources.glue_catalog import CRAWLER_EXCLUSIONS, PARQUET_SERDE, GlueCatalog

pytestmark = pytest.mark.integration

FIELDS = lake.lake_fields(VEHICLE)
LOCATION = "s3a://iot-lake-test/lake/vehicle_data"


def test_table_from_the_contract_then_partitions_idempotently(aws_env):
    catalog = GlueCatalog(database="iot_catalog")
    first = catalog.register_table("vehicle_data", FIELDS, LOCATION, ["dt=2026-01-05"])
    assert first["action"] == "created" and first["new_partitions"] == 1
    again = catalog.register_table(
        "vehicle_data", FIELDS, LOCATION, ["dt=2026-01-05", "dt=2026-01-06"]
    )
    assert again["action"] == "unchanged" and again["new_partitions"] == 1

    glue = boto3.client("glue")
    table = glue.get_table(DatabaseName="iot_catalog", Name="vehicle_data")["Table"]
    sd = table["StorageDescriptor"]
    assert sd["Location"] == "s3://iot-lake-test/lake/vehicle_data/"  # s3a:// is for Spark only
    assert sd["SerdeInfo"]["SerializationLibrary"] == PARQUET_SERDE
    assert table["PartitionKeys"] == [{"Name": "dt", "Type": "string"}]
    columns = {c["Name"]: c["Type"] for c in sd["Columns"]}
    assert columns["location"] == "struct<latitude:double,longitude:double>"
    assert columns["timestamp"] == "timestamp" and columns["kafka_offset"] == "bigint"
    assert len(columns) == len(FIELDS)
    parts = glue.get_partitions(DatabaseName="iot_catalog", TableName="vehicle_data")["Partitions"]
    assert sorted((p["Values"][0], p["StorageDescriptor"]["Location"]) for p in parts) == [
        ("2026-01-05", "s3://iot-lake-test/lake/vehicle_data/dt=2026-01-05/"),
        ("2026-01-06", "s3://iot-lake-test/lake/vehicle_data/dt=2026-01-06/"),
    ]


def test_schema_drift_is_detected_reported_and_corrected(aws_env):
    catalog = GlueCatalog(database="iot_catalog")
    catalog.register_table("vehicle_data", FIELDS, LOCATION, [])
    glue = boto3.client("glue")
    table = catalog.table_input("vehicle_data", FIELDS, LOCATION)
    cols = table["StorageDescriptor"]["Columns"]
    cols[:] = [c for c in cols if c["Name"] != "fuellevelpct"]  # someone dropped a column
    next(c for c in cols if c["Name"] == "speed")["Type"] = "string"  # and retyped one
    cols.append({"Name": "legacy", "Type": "int"})
    glue.update_table(DatabaseName="iot_catalog", TableInput=table)

    assert sorted(catalog.drift("vehicle_data", FIELDS)) == [
        "column speed is string, contract says double",
        "missing column fuellevelpct double",
        "unexpected column legacy int",
    ]
    info = catalog.register_table("vehicle_data", FIELDS, LOCATION, [])
    assert info["action"] == "updated" and len(info["schema_drift"]) == 3
    assert catalog.drift("vehicle_data", FIELDS) == []


def test_crawler_mode_excludes_spark_and_job_folders(aws_env):
    catalog = GlueCatalog(
        database="iot_catalog",
        mode="crawler",
        crawler_role_arn="arn:aws:iam::123456789012:role/iot-glue-crawler",
    )
    info = catalog.register_table("vehicle_data", FIELDS, LOCATION, ["dt=2026-01-05"])
    assert info["crawler"] == "iot-lake-vehicle_data"
    crawler = boto3.client("glue").get_crawler(Name="iot-lake-vehicle_data")["Crawler"]
    target = crawler["Targets"]["S3Targets"][0]
    assert target["Path"] == "s3://iot-lake-test/lake/vehicle_data/"
    assert target["Exclusions"] == CRAWLER_EXCLUSIONS
    for folder in ("_spark_metadata", "_checkpoints", "_temporary", "_staging"):
        assert f"**/{folder}/**" in target["Exclusions"]
    # (A second run calls update_crawler, which moto 5.2.5 does not implement.)


def test_many_partitions_register_in_batches(aws_env):
    catalog = GlueCatalog(database="iot_catalog")
    days = [f"dt=2025-{m:02d}-{d:02d}" for m in range(1, 7) for d in range(1, 29)]  # 168
    info = catalog.register_table("vehicle_data", FIELDS, LOCATION, days)
    assert info["new_partitions"] == len(days)
    glue = boto3.client("glue")
    pages = glue.get_paginator("get_partitions").paginate(
        DatabaseName="iot_catalog", TableName="vehicle_data"
    )
    assert sum(len(p["Partitions"]) for p in pages) == len(days)
    assert catalog.register_table("vehicle_data", FIELDS, LOCATION, days)["new_partitions"] == 0
