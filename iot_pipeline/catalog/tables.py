"""Catalog tables: each lake table registered with its schema, location and partitions."""

from collections.abc import Iterator

import dagster as dg

from iot_contracts import lake
from iot_pipeline.keys import FEEDS, catalog_key, lake_key
from iot_pipeline.resources.catalog import Catalog
from iot_pipeline.resources.lake import LakeStorage
from iot_pipeline.schema_metadata import column_schema_metadata

CATALOG_SPECS = [
    dg.AssetSpec(
        catalog_key(c.table),
        deps=[lake_key(c.table)],
        group_name="catalog",
        kinds={"catalog"},
        owners=["team:iot-data-platform"],
        description=f"Catalog table `{c.table}` over the lake (Glue on AWS, DuckDB locally).",
        metadata=column_schema_metadata(lake.lake_fields(c), lake.PARTITION_COLUMN),
    )
    for c in FEEDS
]


@dg.multi_asset(specs=CATALOG_SPECS, name="catalog_tables", can_subset=True)
def catalog_tables(
    context: dg.AssetExecutionContext, catalog: Catalog, lake_storage: LakeStorage
) -> Iterator[dg.MaterializeResult]:
    """Register each lake table and its landed partitions in the catalog."""
    selected = context.selected_asset_keys
    for contract in FEEDS:
        key = catalog_key(contract.table)
        if key not in selected:
            continue
        partitions = sorted({f.partition for f in lake_storage.data_files(contract.table)})
        info = catalog.register_table(
            contract.table,
            lake.lake_fields(contract),
            lake_storage.table_uri(contract.table),
            partitions,
        )
        yield dg.MaterializeResult(asset_key=key, metadata={**info, "engine": catalog.kind})
