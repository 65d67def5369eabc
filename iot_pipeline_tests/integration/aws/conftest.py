"""AWS stand-ins for the aws profile's tests: a moto server on loopback, env pointing boto3 at it,
and real lake data (contract-shaped Parquet under hive `dt=` folders) to catalog and query."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import requests

from iot_contracts import CONTRACTS, RecordContract, lake
from iot_contracts.records import FieldType
from iot_contracts.types import arrow_schema
from iot_pipeline.stack.broker import free_port

REGION = "eu-west-2"
BUCKET = "iot-lake-test"
START = datetime(2026, 1, 5, 23, 0, tzinfo=UTC)  # the journey crosses midnight: two dt partitions


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """moto in server mode on a free loopback port, standing in for S3, Glue, Athena, Redshift Data."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def aws_env(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Fresh moto state; boto3, pyarrow and Spark (S3A env credentials) all pointed at it."""
    requests.post(f"{moto_endpoint}/moto-api/reset", timeout=10)
    for var in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(var, raising=False)
    # moto accepts any credentials; these exist only in this test process's environment.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    return moto_endpoint


@pytest.fixture
def bucket(aws_env: str) -> str:
    import boto3

    boto3.client("s3").create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    return BUCKET


def _value(contract: RecordContract, name: str, kind: FieldType, i: int, when: datetime) -> Any:
    """A plausible value for one field of the i-th record of a journey (two vehicles)."""
    device = f"vehicle-{i % 2}"
    step = i // 2
    special = {
        "id": f"{contract.name}-{i}",
        "schemaVersion": contract.version,
        "deviceId": device,
        "timestamp": when,
        "speed": 50.0 + (i * 7) % 60,
        "odometerKm": 1000.0 * (i % 2) + 1.5 * step,
        "direction": 315.0,
        "cameraId": f"cam-{step % 3}",
        "stationId": f"station-{step % 2}",
        "incidentId": f"incident-{step % 2}",
        "status": ("Reported", "Active", "Resolved")[min(step, 2)],
        "type": ("Accident", "Breakdown")[step % 2],
        "weatherCondition": ("Clear", "Rain")[step % 2],
        "kafka_partition": i % 3,
        "kafka_offset": i,
        "ingested_at": when + timedelta(seconds=2),
        "year": 2024,
        "airQualityIndex": 3,
    }
    if name in special:
        return special[name]
    return {
        FieldType.STRING: f"{name}-{i}",
        FieldType.INT: i,
        FieldType.LONG: i,
        FieldType.DOUBLE: float(i) + 0.5,
        FieldType.BOOLEAN: i % 2 == 0,
        FieldType.TIMESTAMP: when,
        FieldType.LOCATION: {"latitude": 51.5 + 0.01 * step, "longitude": -0.12 - 0.01 * step},
    }[kind]


def journey_tables(records: int = 12) -> dict[str, dict[str, pa.Table]]:
    """Per table, per dt partition: an Arrow table with the lake schema of the contract."""
    out: dict[str, dict[str, pa.Table]] = {}
    for contract in CONTRACTS:
        fields = lake.lake_fields(contract)
        by_day: dict[str, list[dict]] = {}
        for i in range(records):
            when = START + timedelta(minutes=10 * (i // 2))
            row = {f.name: _value(contract, f.name, f.type, i, when) for f in fields}
            by_day.setdefault(when.date().isoformat(), []).append(row)
        out[contract.table] = {
            f"{lake.PARTITION_COLUMN}={day}": pa.Table.from_pylist(
                rows, schema=arrow_schema(fields)
            )
            for day, rows in by_day.items()
        }
    return out


def write_lake(filesystem: Any, root: str, records: int = 12) -> dict[str, list[str]]:
    """Write the journey into <root>/<table>/dt=.../part-0.parquet, plus hidden noise readers skip."""
    partitions: dict[str, list[str]] = {}
    for table, parts in journey_tables(records).items():
        for partition, data in parts.items():
            folder = lake.join(root, table, partition)
            filesystem.create_dir(folder, recursive=True)
            pq.write_table(data, lake.join(folder, "part-0.parquet"), filesystem=filesystem)
        hidden = lake.join(root, table, "_spark_metadata")
        filesystem.create_dir(hidden, recursive=True)
        with filesystem.open_output_stream(lake.join(hidden, "0")) as out:
            out.write(b"v1\n")
        partitions[table] = sorted(parts)
    return partitions


@pytest.fixture
def lake_writer() -> Callable[..., dict[str, list[str]]]:
    """write_lake(filesystem, root): the journey as lake Parquet on any pyarrow filesystem."""
    return write_lake


@pytest.fixture
def local_lake(tmp_path: Path) -> tuple[Path, dict[str, list[str]]]:
    from pyarrow import fs

    root = tmp_path / "lake"
    return root, write_lake(fs.LocalFileSystem(), str(root))


@pytest.fixture
def redshift_spectrum_stand_in(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[str]]:
    """moto's Redshift Data API records statements but never finishes them and answers every query
    with a fixed sample; stand in for Redshift: finish statements, and answer svv_external_tables
    with the Glue tables of the database the external schema was created over (as Spectrum would).
    Returns a function listing the SQL statements moto received, in order."""
    from moto.redshiftdata import models

    backend_cls = models.RedshiftDataAPIServiceBackend
    original_describe = backend_cls.describe_statement
    issued: list[str] = []
    schemas: dict[str, str] = {}

    def describe(self, statement_id: str):
        statement = original_describe(self, statement_id)
        statement.status = "FINISHED"
        return statement

    original_execute = backend_cls.execute_statement

    def execute(self, **kwargs):
        sql = kwargs["sql"]
        issued.append(sql)
        match = re.match(
            r"CREATE EXTERNAL SCHEMA IF NOT EXISTS (\w+) FROM DATA CATALOG DATABASE '(\w+)'", sql
        )
        if match:
            schemas[match.group(1)] = match.group(2)
        return original_execute(self, **kwargs)

    def result(self, statement_id: str):
        import boto3

        sql = self.statements[statement_id].query_string
        match = re.search(r"schemaname = '(\w+)'", sql)
        tables: list[str] = []
        if match and match.group(1) in schemas:
            glue = boto3.client(
                "glue", region_name=REGION, endpoint_url=os.environ["AWS_ENDPOINT_URL"]
            )
            found = glue.get_tables(DatabaseName=schemas[match.group(1)])["TableList"]
            tables = sorted(t["Name"] for t in found)
        return models.StatementResult(
            [dict(models.ColumnMetadata(None, True, False, "tablename", 0))],
            [[dict(models.Record(string_value=t))] for t in tables],
            len(tables),
        )

    monkeypatch.setattr(backend_cls, "describe_statement", describe)
    monkeypatch.setattr(backend_cls, "execute_statement", execute)
    monkeypatch.setattr(backend_cls, "get_statement_result", result)
    return lambda: list(issued)
