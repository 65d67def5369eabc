"""The Glue Data Catalog: lake tables defined by API from the record contracts (profile `aws`)."""

from __future__ import annotations

import json
from typing import Any, Literal

import dagster as dg
from pydantic import Field as PydanticField

from iot_contracts import Field, lake
from iot_contracts.types import hive_type
from iot_pipeline.resources.catalog import Catalog

PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
PARQUET_INPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
PARQUET_OUTPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
# Folders Spark and the streaming job keep beside the data; a crawler must not make tables of them.
CRAWLER_EXCLUSIONS = [
    f"{glob}{name}/**"
    for name in ("_spark_metadata", lake.CHECKPOINTS_DIR, "_temporary", "_staging")
    for glob in ("", "**/")
]
BATCH = 100  # batch_create_partition's limit


def s3_location(uri: str) -> str:
    """Glue, Athena and Redshift Spectrum want s3://, whatever scheme Spark wrote through."""
    for scheme in ("s3a://", "s3n://"):
        if uri.startswith(scheme):
            return "s3://" + uri[len(scheme) :]
    return uri


def glue_columns(fields: tuple[Field, ...]) -> list[dict[str, str]]:
    # Lower case: Glue and Athena fold names, and Parquet columns are matched case-insensitively.
    return [
        {"Name": f.name.lower(), "Type": hive_type(f), "Comment": f.description[:255]}
        for f in fields
    ]


def partition_values(partition: str) -> list[str]:
    """'dt=2026-01-05' -> ['2026-01-05']."""
    return [part.split("=", 1)[1] for part in partition.strip("/").split("/")]


def schema_drift(actual: list[dict], wanted: list[dict]) -> list[str]:
    """What differs between a table's columns and the contract's, one readable line per column."""
    have = {c["Name"].lower(): c["Type"] for c in actual}
    want = {c["Name"].lower(): c["Type"] for c in wanted}
    drift = [f"missing column {n} {t}" for n, t in want.items() if n not in have]
    drift += [f"unexpected column {n} {t}" for n, t in have.items() if n not in want]
    drift += [
        f"column {n} is {have[n]}, contract says {t}"
        for n, t in want.items()
        if n in have and have[n].replace(" ", "").lower() != t.replace(" ", "").lower()
    ]
    return drift


class GlueCatalog(Catalog):
    """Glue tables over the S3 lake, partitions registered as they land, drift against the contract reported."""

    region: str = PydanticField(default="eu-west-2", description="AWS region of the catalog")
    mode: Literal["api", "crawler"] = PydanticField(
        default="api",
        description="api: define tables from the contracts; crawler: let a Glue crawler",
    )
    crawler_role_arn: str | None = PydanticField(
        default=None, description="IAM role the crawler runs as (crawler mode)"
    )
    crawler_prefix: str = PydanticField(default="iot-lake", description="Crawler name prefix")

    @property
    def kind(self) -> str:
        return "glue"

    def glue_client(self) -> Any:
        import boto3

        return boto3.client("glue", region_name=self.region)

    def table_input(self, table: str, fields: tuple[Field, ...], location: str) -> dict:
        return {
            "Name": table,
            "TableType": "EXTERNAL_TABLE",
            "Parameters": {"classification": "parquet", "EXTERNAL": "TRUE"},
            "PartitionKeys": [{"Name": lake.PARTITION_COLUMN, "Type": "string"}],
            "StorageDescriptor": {
                "Columns": glue_columns(fields),
                "Location": s3_location(location).rstrip("/") + "/",
                "InputFormat": PARQUET_INPUT,
                "OutputFormat": PARQUET_OUTPUT,
                "SerdeInfo": {"SerializationLibrary": PARQUET_SERDE, "Parameters": {}},
            },
        }

    def ensure_database(self, glue: Any) -> None:
        try:
            glue.get_database(Name=self.database)
        except glue.exceptions.EntityNotFoundException:
            glue.create_database(DatabaseInput={"Name": self.database})

    def get_table(self, glue: Any, table: str) -> dict | None:
        try:
            return glue.get_table(DatabaseName=self.database, Name=table)["Table"]
        except glue.exceptions.EntityNotFoundException:
            return None

    def drift(self, table: str, fields: tuple[Field, ...]) -> list[str]:
        """Schema drift of the catalog table against the contract (empty: in line, or no table yet)."""
        found = self.get_table(self.glue_client(), table)
        if found is None:
            return []
        return schema_drift(found["StorageDescriptor"]["Columns"], glue_columns(fields))

    def register_table(
        self, table: str, fields: tuple[Field, ...], location: str, partitions: list[str]
    ) -> dict:
        glue = self.glue_client()
        self.ensure_database(glue)
        wanted = self.table_input(table, fields, location)
        existing = self.get_table(glue, table)
        drift = (
            schema_drift(existing["StorageDescriptor"]["Columns"], glue_columns(fields))
            if existing
            else []
        )
        if drift:
            dg.get_dagster_logger().warning(f"schema drift in {self.database}.{table}: {drift}")
        info = {
            "table": f"{self.database}.{table}",
            "location": wanted["StorageDescriptor"]["Location"],
        }
        if self.mode == "crawler":
            return {**info, **self._crawl(glue, table, wanted["StorageDescriptor"]["Location"])}
        if existing is None:
            glue.create_table(DatabaseName=self.database, TableInput=wanted)
        elif drift or existing["StorageDescriptor"].get("Location") != info["location"]:
            # The contract is the source of truth: bring the table back in line, and say so.
            glue.update_table(DatabaseName=self.database, TableInput=wanted)
        added = self.add_partitions(glue, table, wanted["StorageDescriptor"], partitions)
        return {
            **info,
            "partitions": len(partitions),
            "new_partitions": added,
            "columns": len(fields) + 1,
            "schema_drift": drift,
            "action": "created" if existing is None else ("updated" if drift else "unchanged"),
        }

    def registered_partitions(self, glue: Any, table: str) -> set[tuple[str, ...]]:
        pages = glue.get_paginator("get_partitions").paginate(
            DatabaseName=self.database, TableName=table
        )
        return {tuple(p["Values"]) for page in pages for p in page["Partitions"]}

    def add_partitions(self, glue: Any, table: str, storage: dict, partitions: list[str]) -> int:
        """Register landed partitions Glue does not know yet (idempotent); Spectrum needs them."""
        known = self.registered_partitions(glue, table)
        new = [p for p in partitions if tuple(partition_values(p)) not in known]
        inputs = [
            {
                "Values": partition_values(p),
                "StorageDescriptor": {
                    **storage,
                    "Location": storage["Location"] + p.strip("/") + "/",
                },
            }
            for p in new
        ]
        for start in range(0, len(inputs), BATCH):
            response = glue.batch_create_partition(
                DatabaseName=self.database,
                TableName=table,
                PartitionInputList=inputs[start : start + BATCH],
            )
            errors = [
                e for e in response.get("Errors", [])
                if e["ErrorDetail"].get("ErrorCode") != "AlreadyExistsException"
            ]  # fmt: skip
            if errors:
                raise RuntimeError(f"Glue refused partitions of {table}: {errors}")
        return len(new)

    def crawler_config(self, table: str, location: str) -> dict:
        return {
            "Name": f"{self.crawler_prefix}-{table}",
            "Role": self.crawler_role_arn or "",
            "DatabaseName": self.database,
            "Targets": {"S3Targets": [{"Path": location, "Exclusions": CRAWLER_EXCLUSIONS}]},
            "SchemaChangePolicy": {"UpdateBehavior": "LOG", "DeleteBehavior": "LOG"},
            "RecrawlPolicy": {"RecrawlBehavior": "CRAWL_NEW_FOLDERS_ONLY"},
            "Configuration": json.dumps(
                {"Version": 1.0, "Grouping": {"TableGroupingPolicy": "CombineCompatibleSchemas"}}
            ),
        }

    def _crawl(self, glue: Any, table: str, location: str) -> dict:
        if not self.crawler_role_arn:
            raise ValueError("crawler mode needs crawler_role_arn (IOT_GLUE_CRAWLER_ROLE_ARN)")
        config = self.crawler_config(table, location)
        try:
            glue.get_crawler(Name=config["Name"])
            glue.update_crawler(**config)
        except glue.exceptions.EntityNotFoundException:
            glue.create_crawler(**config)
        try:
            glue.start_crawler(Name=config["Name"])
            started = True
        except glue.exceptions.CrawlerRunningException:
            started = False
        return {"crawler": config["Name"], "crawler_started": started}
