"""The whole asset graph materialized in process on a real broker, real Spark and DuckDB."""

import dagster as dg
import pytest

from iot_contracts import TOPICS, lake
from iot_pipeline.definitions import build_definitions
from iot_pipeline.resources.catalog import DuckDBCatalog
from iot_pipeline.resources.kafka import KafkaResource
from iot_pipeline.resources.lake import LocalLake
from iot_pipeline.resources.query import DuckDBQueryEngine
from iot_pipeline.resources.spark import LocalSparkLauncher
from iot_pipeline.resources.warehouse import DuckDBWarehouse
from iot_pipeline.stack.broker import KafkaBroker, free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]

VEHICLES = 2


@pytest.fixture(scope="module")
def own_broker(tmp_path_factory):
    """A broker of this module's own, so its topics hold exactly what this pipeline produced."""
    broker = KafkaBroker(home=tmp_path_factory.mktemp("pipeline-kafka"), port=free_port())
    broker.up()
    yield broker
    broker.down()


@pytest.fixture(scope="module")
def pipeline(own_broker, tmp_path_factory):
    root = tmp_path_factory.mktemp("pipeline")
    duckdb_file = str(root / "warehouse.duckdb")
    resources = {
        "kafka": KafkaResource(bootstrap_servers=own_broker.bootstrap_servers),
        "lake_storage": LocalLake(path=str(root / "lake")),
        "spark": LocalSparkLauncher(),
        "catalog": DuckDBCatalog(path=duckdb_file),
        "query_engine": DuckDBQueryEngine(path=duckdb_file),
        "warehouse": DuckDBWarehouse(path=duckdb_file),
    }
    job = build_definitions("local").resolve_job_def("iot_pipeline")
    run_config = {"ops": {"kafka_topics": {"config": {"vehicles": VEHICLES, "seed": 7}}}}
    with dg.instance_for_test() as instance:
        result = job.execute_in_process(
            run_config=run_config, instance=instance, resources=resources, raise_on_error=False
        )
        yield result, resources, instance


def _metadata(result, node: str) -> dict[str, dict]:
    return {
        m.asset_key.to_user_string(): {k: v.value for k, v in m.metadata.items()}
        for m in result.asset_materializations_for_node(node)
    }


def test_the_job_succeeds_and_materializes_every_asset(pipeline):
    result, _, _ = pipeline
    assert result.success
    materialized = {
        e.asset_key.to_user_string() for e in result.all_events if e.is_step_materialization
    }
    assert {f"lake/{t}" for t in TOPICS} | {"lake/dead_letter"} <= materialized
    assert {f"catalog/{t}" for t in TOPICS} <= materialized
    assert "warehouse/external_schema" in materialized


def test_each_lake_table_holds_exactly_what_the_simulator_produced(pipeline):
    result, resources, _ = pipeline
    produced = {
        k.split("/")[1]: v["records_produced"] for k, v in _metadata(result, "kafka_topics").items()
    }
    lake_storage = resources["lake_storage"]
    for topic in TOPICS:
        table = lake_storage.read_table(topic)
        assert produced[topic] > 0
        assert table.num_rows == produced[topic], topic
        assert len(set(table.column("id").to_pylist())) == table.num_rows
    dead = lake_storage.read_table(lake.DEAD_LETTER_TABLE)
    assert dead is None or dead.num_rows == 0


def test_spark_reports_through_pipes_what_landed(pipeline):
    result, resources, _ = pipeline
    reported = _metadata(result, "lake_tables")
    for topic in TOPICS:
        meta = reported[f"lake/{topic}"]
        assert meta["rows_written"] == resources["lake_storage"].read_table(topic).num_rows
        assert meta["kafka_records_read"] == meta["rows_written"]


def test_views_and_external_schema_answer_queries(pipeline):
    _, resources, _ = pipeline
    engine = resources["query_engine"]
    journeys = engine.query("SELECT * FROM iot_serving.journey_summary")
    assert len(journeys) == VEHICLES
    assert all(150 < j["distance_km"] < 230 for j in journeys)
    assert all(0 < j["avg_speed_kmh"] <= j["top_speed_kmh"] < 200 for j in journeys)
    positions = engine.query("SELECT * FROM iot_serving.latest_position")
    assert len(positions) == VEHICLES
    passages = engine.query("SELECT sum(passages) AS n FROM iot_serving.camera_passages")
    assert passages[0]["n"] == resources["lake_storage"].read_table("traffic_data").num_rows
    warehouse_rows = engine.query("SELECT count(*) AS n FROM iot_lake.gps_data")
    assert warehouse_rows[0]["n"] == resources["lake_storage"].read_table("gps_data").num_rows


def test_blocking_checks_pass_on_clean_data(pipeline):
    result, _, _ = pipeline
    evaluations = result.get_asset_check_evaluations()
    assert evaluations, "no asset checks ran"
    failed = [
        f"{e.asset_key.to_user_string()}:{e.check_name}"
        for e in evaluations
        if not e.passed and e.check_name != "landed_recently"
    ]
    assert not failed
