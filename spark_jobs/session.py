"""The SparkSession settings the job's guarantees depend on (set here, not left to spark-submit)."""

from __future__ import annotations

from typing import Any

# Settings the lake's contract needs whatever the cluster's defaults are.
JOB_CONF: dict[str, str] = {
    # dt partitions and timestamps are UTC, whatever the machine's zone.
    "spark.sql.session.timeZone": "UTC",
    # INT96 is deprecated and read as naive by some readers; the contract says timestamp[us, UTC].
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    # Dedupe state can hold an hour of ids: RocksDB keeps it off the JVM heap; changelog
    # checkpointing uploads only the changes per batch. Fixed per checkpoint at its first batch.
    "spark.sql.streaming.stateStore.providerClass": (
        "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider"
    ),
    "spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled": "true",
}


def build_session(app_name: str = "stream_to_lake") -> Any:
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName(app_name).getOrCreate()
    for key, value in JOB_CONF.items():
        spark.conf.set(key, value)
    # Staged folders are hidden and deleted after publish; no need for _SUCCESS markers.
    spark.sparkContext._jsc.hadoopConfiguration().set(
        "mapreduce.fileoutputcommitter.marksuccessfuljobs", "false"
    )
    return spark
