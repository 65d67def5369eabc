"""Profiles choose resource implementations from one env var, IOT_PROFILE (local | aws).

Assets, checks and sensors take the base resource types; only this module knows the concrete ones.
"""

from __future__ import annotations

import os
from typing import Any

from iot_pipeline import paths
from iot_pipeline.resources.catalog import DuckDBCatalog
from iot_pipeline.resources.kafka import KafkaResource
from iot_pipeline.resources.lake import LocalLake
from iot_pipeline.resources.query import DuckDBQueryEngine
from iot_pipeline.resources.spark import LocalSparkLauncher
from iot_pipeline.resources.warehouse import DuckDBWarehouse

PROFILES = ("local", "aws")


class ProfileError(ValueError):
    pass


def active_profile() -> str:
    profile = os.environ.get("IOT_PROFILE", "local").strip().lower()
    if profile not in PROFILES:
        raise ProfileError(f"IOT_PROFILE must be one of {', '.join(PROFILES)}, got {profile!r}")
    return profile


def local_resources() -> dict[str, Any]:
    """Everything on this machine: the stack's broker, Spark local, a folder lake, one DuckDB file."""
    state = paths.state_dir()
    duckdb_file = os.environ.get("IOT_DUCKDB_PATH", str(state / "warehouse.duckdb"))
    return {
        "kafka": KafkaResource(
            bootstrap_servers=os.environ.get("IOT_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
        ),
        "lake_storage": LocalLake(path=os.environ.get("IOT_LAKE_ROOT", str(state / "lake"))),
        "spark": LocalSparkLauncher(),
        "catalog": DuckDBCatalog(path=duckdb_file),
        "query_engine": DuckDBQueryEngine(path=duckdb_file),
        "warehouse": DuckDBWarehouse(path=duckdb_file),
    }


def resources_for(profile: str | None = None) -> dict[str, Any]:
    profile = profile or active_profile()
    if profile == "local":
        return local_resources()
    from iot_pipeline.profiles_aws import aws_resources

    return aws_resources()
