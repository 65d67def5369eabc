"""Asset keys of the graph, by layer; the Spark job reports lake keys as "lake/<table>" strings."""

from __future__ import annotations

import dagster as dg

from iot_contracts import CONTRACTS, RecordContract, lake

FEEDS: tuple[RecordContract, ...] = CONTRACTS
LAKE_TABLES: tuple[str, ...] = (*(c.table for c in CONTRACTS), lake.DEAD_LETTER_TABLE)


def topic_key(topic: str) -> dg.AssetKey:
    return dg.AssetKey(["kafka", topic])


def lake_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["lake", table])


def catalog_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["catalog", table])


def view_key(view: str) -> dg.AssetKey:
    return dg.AssetKey(["serving", view])


WAREHOUSE_SCHEMA_KEY = dg.AssetKey(["warehouse", "external_schema"])
