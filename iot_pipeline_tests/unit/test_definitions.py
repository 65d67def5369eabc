"""The code location loads, and the asset graph has the shape the README promises."""

import dagster as dg

from iot_contracts import TOPICS
from iot_pipeline.definitions import build_definitions


def _graph():
    return build_definitions("local").resolve_asset_graph()


def test_every_layer_has_its_assets():
    keys = {k.to_user_string() for k in _graph().get_all_asset_keys()}
    for topic in TOPICS:
        assert {f"kafka/{topic}", f"lake/{topic}", f"catalog/{topic}"} <= keys
    assert "lake/dead_letter" in keys
    assert "warehouse/external_schema" in keys
    assert {"serving/journey_summary", "serving/latest_position"} <= keys


def test_lineage_runs_topic_to_lake_to_catalog():
    graph = _graph()
    for topic in TOPICS:
        lake = dg.AssetKey(["lake", topic])
        assert dg.AssetKey(["kafka", topic]) in graph.get(lake).parent_keys
        assert lake in graph.get(dg.AssetKey(["catalog", topic])).parent_keys


def test_every_asset_is_described_and_grouped():
    graph = _graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.description, f"{key} has no description"
        assert node.group_name in {"ingestion", "lake", "catalog", "serving"}


def test_jobs_exist():
    defs = build_definitions("local")
    for name in ("simulate_journey", "stream_to_lake", "refresh_serving", "iot_pipeline"):
        assert defs.resolve_job_def(name).name == name
