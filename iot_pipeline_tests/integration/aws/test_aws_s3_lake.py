"""S3Lake over moto's S3: lists committed Parquet the way Athena would, and reads it with pyarrow."""

import pytest

from iot_contracts import CONTRACTS
from iot_pipeline.resources.s3_lake import S3Lake

pytestmark = pytest.mark.integration


def test_data_files_skip_hidden_and_read_table_uses_the_endpoint(aws_env, bucket, lake_writer):
    lake = S3Lake(bucket=bucket, prefix="lake", endpoint_url=aws_env)
    fs, root = lake.arrow_filesystem()
    assert root == f"{bucket}/lake"
    partitions = lake_writer(fs, root)
    for contract in CONTRACTS:
        files = lake.data_files(contract.table)
        assert sorted(f.partition for f in files) == partitions[contract.table]
        assert not any("_spark_metadata" in f.path for f in files)
        assert all(f.size > 0 and f.modified.tzinfo is not None for f in files)
    table = lake.read_table("vehicle_data", columns=["id", "odometerKm", "dt"])
    assert table.num_rows == 12
    assert lake.newest_file_time("vehicle_data") is not None
    assert lake.data_files("no_such_table") == []
