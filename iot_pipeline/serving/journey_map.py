"""A picture of the journey for the UI: route, vehicles' tracks, cameras, incidents, speed profile."""

import base64
from pathlib import Path

import dagster as dg

from iot_pipeline.keys import catalog_key, view_key
from iot_pipeline.resources.catalog import Catalog
from iot_pipeline.resources.query import QueryEngine
from iot_pipeline.serving.picture import Marker, TrackPoint, journey_map_svg, speed_profile_svg
from iot_pipeline.serving.views import render_sql

SQL_DIR = Path(__file__).parent / "sql" / "picture"


def _sql(name: str, catalog_database: str) -> str:
    return render_sql(SQL_DIR / f"{name}.sql", catalog_database)


def _embed(svg: str, title: str) -> str:
    encoded = base64.b64encode(svg.encode()).decode()
    return f"![{title}](data:image/svg+xml;base64,{encoded})"


def planned_route() -> list[tuple[float, float]]:
    from simulator.route import default_route

    route = default_route()
    return list(zip(route.lats, route.lons, strict=True))


@dg.asset(
    key=view_key("journey_map"),
    deps=[catalog_key("vehicle_data"), catalog_key("traffic_data"), catalog_key("emergency_data")],
    group_name="serving",
    kinds={"svg"},
    owners=["team:iot-analytics"],
)
def journey_map(query_engine: QueryEngine, catalog: Catalog) -> dg.MaterializeResult:
    """Map of the route with each vehicle's track, cameras and incidents, plus a speed profile."""
    db = catalog.database
    track = [
        TrackPoint(r["device_id"], r["latitude"], r["longitude"], r["speed_kmh"], r["distance_km"])
        for r in query_engine.query(_sql("tracks", db))
    ]
    cameras = [
        Marker(f"{r['camera_id']}: {r['passages']} passages", r["latitude"], r["longitude"])
        for r in query_engine.query(_sql("cameras", db))
    ]
    incidents = [
        Marker(f"{r['type']} ({r['status']})", r["latitude"], r["longitude"])
        for r in query_engine.query(_sql("incidents", db))
    ]
    route_map = journey_map_svg(planned_route(), track, cameras, incidents)
    profile = speed_profile_svg(track)
    return dg.MaterializeResult(
        metadata={
            "map": dg.MetadataValue.md(_embed(route_map, "journey map")),
            "speed_profile": dg.MetadataValue.md(_embed(profile, "speed profile")),
            "vehicles_drawn": len({p.device_id for p in track}),
            "points_drawn": len(track),
            "cameras": len(cameras),
            "incidents": len(incidents),
        }
    )
