"""Serving views (SQL in serving/sql/, Athena dialect) and the warehouse's external schema."""

import string
from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from iot_pipeline.keys import FEEDS, WAREHOUSE_SCHEMA_KEY, catalog_key, view_key
from iot_pipeline.resources.catalog import Catalog
from iot_pipeline.resources.query import QueryEngine
from iot_pipeline.resources.warehouse import Warehouse

SQL_DIR = Path(__file__).parent / "sql"


def view_names() -> list[str]:
    return sorted(p.stem for p in SQL_DIR.glob("*.sql"))


def render_sql(path: Path, catalog_database: str) -> str:
    """A SQL file in Athena's dialect with `${catalog}` pointed at the catalog database."""
    return string.Template(path.read_text()).substitute(catalog=catalog_database)


def view_sql(name: str, catalog_database: str) -> str:
    """The view's SELECT in Athena's dialect, pointed at the catalog database."""
    return render_sql(SQL_DIR / f"{name}.sql", catalog_database)


def _description(name: str) -> str:
    first = (SQL_DIR / f"{name}.sql").read_text().splitlines()[0]
    return first.removeprefix("--").strip()


VIEW_SPECS = [
    dg.AssetSpec(
        view_key(name),
        deps=[catalog_key(c.table) for c in FEEDS if f".{c.table}" in view_sql(name, "x")],
        group_name="serving",
        kinds={"sql", "view"},
        owners=["team:iot-analytics"],
        description=_description(name),
        metadata={"sql_file": f"iot_pipeline/serving/sql/{name}.sql"},
    )
    for name in view_names()
]


@dg.multi_asset(specs=VIEW_SPECS, name="serving_views", can_subset=True)
def serving_views(
    context: dg.AssetExecutionContext, query_engine: QueryEngine, catalog: Catalog
) -> Iterator[dg.MaterializeResult]:
    """Create or replace the serving views from their Athena SQL."""
    for name in view_names():
        if view_key(name) not in context.selected_asset_keys:
            continue
        info = query_engine.create_view(name, view_sql(name, catalog.database))
        yield dg.MaterializeResult(
            asset_key=view_key(name),
            metadata={
                "view": info["view"],
                "rows": info.get("rows", 0),
                "sql": dg.MetadataValue.md(f"```sql\n{view_sql(name, catalog.database)}\n```"),
            },
        )


@dg.asset(
    key=WAREHOUSE_SCHEMA_KEY,
    deps=[catalog_key(c.table) for c in FEEDS],
    group_name="serving",
    kinds={"warehouse"},
    owners=["team:iot-analytics"],
)
def warehouse_external_schema(
    context: dg.AssetExecutionContext, warehouse: Warehouse, catalog: Catalog
) -> dg.MaterializeResult:
    """The warehouse's external schema onto the catalog database (Redshift Spectrum on AWS)."""
    tables = [c.table for c in FEEDS]
    visible = warehouse.ensure_external_schema(catalog.database, tables)
    missing = sorted(set(tables) - set(visible))
    if missing:
        raise dg.Failure(f"external schema {warehouse.schema_name} lacks tables: {missing}")
    return dg.MaterializeResult(
        metadata={"schema": warehouse.schema_name, "tables": dg.MetadataValue.json(visible)}
    )
