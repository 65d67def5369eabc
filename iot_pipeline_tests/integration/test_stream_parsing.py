"""Contract parsing on a local SparkSession (no broker): each malformed kind gets its reason."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from iot_contracts import CONTRACTS, EMERGENCY, TRAFFIC, VEHICLE
from iot_pipeline_tests import spark_helpers as h
from spark_jobs import parsing
from spark_jobs.session import JOB_CONF

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master("local[1]").appName("test_stream_parsing")
    for key, value in {**JOB_CONF, "spark.ui.enabled": "false",
                       "spark.sql.shuffle.partitions": "1"}.items():  # fmt: skip
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    yield session
    session.stop()


def classify(spark, contract, values: list[bytes | None]) -> list[dict]:
    rows = [(b"k", v, contract.topic, 0, i) for i, v in enumerate(values)]
    df = spark.createDataFrame(
        rows, "key binary, value binary, topic string, partition int, offset long"
    )
    parsed = parsing.parse_kafka(df, contract)
    out = parsing.with_error_reasons(parsed, contract).orderBy("kafka_offset").collect()
    return [r.asDict(recursive=True) for r in out]


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name)
def test_valid_records_parse_to_typed_rows(spark, contract):
    records = [h.make_record(contract, i) for i in range(3)]
    out = classify(spark, contract, [h.encode(r) for r in records])
    for record, row in zip(records, out, strict=True):
        assert row[parsing.ERROR] is None, row[parsing.ERROR]
        assert row["id"] == record["id"] == row[parsing.DEDUPE_KEY]
        # pyspark hands back naive local datetimes; compare instants.
        assert (
            row["timestamp"].timestamp() == datetime.fromisoformat(record["timestamp"]).timestamp()
        )
        assert row["dt"] == "2026-12-04"
        assert row["location"] == record["location"]
        assert row[parsing.RAW] is None  # raw payload only kept for dead letters


def test_each_malformed_kind_is_a_dead_letter_with_its_reason(spark):
    good = h.make_record(VEHICLE, 1)
    cases = {
        b"not json {": "not valid JSON",
        b"[1, 2]": "not a JSON object",
        b'"text"': "not a JSON object",
        None: "empty record",
        b"": "not valid JSON",
        json.dumps({k: v for k, v in good.items() if k != "make"}).encode(): "make: missing required field",
        json.dumps({**good, "id": None}).encode(): "id: missing required field",
        json.dumps({**good, "speed": "fast"}).encode(): "speed: wrong type, expected double",
        json.dumps({**good, "year": 20.5}).encode(): "year: wrong type, expected int",
        json.dumps({**good, "year": 2**40}).encode(): "year: wrong type, expected int",
        json.dumps({**good, "timestamp": 1_700_000_000}).encode(): "timestamp: wrong type",
        json.dumps({**good, "timestamp": "2026-12-04T10:00:00"}).encode(): "timestamp: wrong type",
        json.dumps({**good, "location": {"latitude": 1.0}}).encode(): "location: latitude and longitude",
        json.dumps({**good, "location": "here"}).encode(): "location: wrong type",
        json.dumps({**good, "schemaVersion": 2}).encode(): "schemaVersion: unsupported version 2",
    }  # fmt: skip
    out = classify(spark, VEHICLE, list(cases))
    for (value, reason), row in zip(cases.items(), out, strict=True):
        assert row[parsing.ERROR] is not None and reason in row[parsing.ERROR], (
            value,
            row[parsing.ERROR],
        )
        assert row[parsing.RAW] == (value.decode() if value is not None else None)
        assert row[parsing.EVENT_TIME] is None  # dead letters never move the watermark
        assert row[parsing.DEDUPE_KEY] == f"#dead:0:{row['kafka_offset']}"


def test_optional_fields_may_be_missing_or_null(spark):
    traffic = {k: v for k, v in h.make_record(TRAFFIC, 1).items() if k not in ("snapshot", "speed")}
    emergency = {**h.make_record(EMERGENCY, 2), "description": None}
    assert classify(spark, TRAFFIC, [h.encode(traffic)])[0][parsing.ERROR] is None
    assert classify(spark, EMERGENCY, [h.encode(emergency)])[0][parsing.ERROR] is None


def test_several_problems_are_all_named(spark):
    bad = {**h.make_record(VEHICLE, 1), "speed": "fast", "year": "old"}
    del bad["model"]
    error = classify(spark, VEHICLE, [h.encode(bad)])[0][parsing.ERROR]
    assert "speed: wrong type" in error and "year: wrong type" in error
    assert "model: missing required field" in error


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-04T10:00:00.000000+00:00", "2026-12-04T10:00:00+00:00"),
        ("2026-12-04T10:00:00+00:00", "2026-12-04T10:00:00+00:00"),
        ("2026-12-04T10:00:00Z", "2026-12-04T10:00:00+00:00"),
        ("2026-12-04T10:00:00.123+02:00", "2026-12-04T08:00:00.123000+00:00"),
        ("2026-12-04T10:00:00", None),  # no offset: which zone?
        ("2026-12-04 10:00:00+00:00", None),
        ("1700000000", None),
        ("2026-02-30T10:00:00+00:00", None),  # right shape, impossible date
        ("2026-12-04T10:00:00.1234567+00:00", None),
        (" 2026-12-04T10:00:00Z", None),
    ],
)
def test_timestamps_must_be_iso_8601_with_an_offset(spark, text, expected):
    from pyspark.sql import functions as F

    df = spark.createDataFrame([(text,)], "t string")
    # Formatted in the session zone (UTC): collect() would hand back a naive local datetime.
    got = df.select(F.date_format(parsing.to_timestamp(F.col("t")), "yyyy-MM-dd'T'HH:mm:ss.SSSSSS")
                    .alias("v")).first().v  # fmt: skip
    want = None if expected is None else datetime.fromisoformat(expected).strftime(
        "%Y-%m-%dT%H:%M:%S.%f")  # fmt: skip
    assert got == want
