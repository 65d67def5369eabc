"""The aws profile end to end on this machine: a real broker and real Spark writing through s3a into
moto's S3, then the real catalog, serving and warehouse assets against moto's Glue, Athena and
Redshift Data API. Only the AWS APIs are stand-ins."""

from collections import Counter

import boto3
import dagster as dg
import pytest

from iot_contracts import CONTRACTS, TOPICS
from iot_pipeline.catalog.tables import catalog_tables
from iot_pipeline.keys import WAREHOUSE_SCHEMA_KEY
from iot_pipeline.lake.tables import lake_tables
from iot_pipeline.profiles_aws import aws_resources
from iot_pipeline.serving.views import serving_views, view_names, warehouse_external_schema
from iot_pipeline.stack.broker import KafkaBroker, free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROLE = "arn:aws:iam::123456789012:role/iot-spectrum"


@pytest.fixture(scope="module")
def bootstrap_servers(tmp_path_factory):
    """A broker of this module's own: the session broker's topics hold other tests' records."""
    broker = KafkaBroker(home=tmp_path_factory.mktemp("aws-e2e-kafka"), port=free_port())
    broker.up()
    yield broker.bootstrap_servers
    broker.down()


@pytest.fixture
def aws_profile_env(aws_env, bucket, bootstrap_servers, monkeypatch):
    for key, value in {
        "IOT_S3_BUCKET": bucket,
        "IOT_S3_PREFIX": "lake",
        "IOT_S3_ENDPOINT_URL": aws_env,
        "IOT_KAFKA_BOOTSTRAP_SERVERS": bootstrap_servers,
        "IOT_KAFKA_REPLICATION_FACTOR": "1",
        "IOT_SPARK_RUNNER": "local",
        "IOT_GLUE_DATABASE": "iot_catalog",
        "IOT_ATHENA_WORKGROUP": "iot",
        "IOT_ATHENA_OUTPUT_LOCATION": "s3://iot-athena-results/q/",
        "IOT_REDSHIFT_IAM_ROLE_ARN": ROLE,
        "IOT_REDSHIFT_WORKGROUP": "iot",
        "IOT_REDSHIFT_SECRET_ARN": "arn:aws:secretsmanager:eu-west-2:123456789012:secret:iot",
    }.items():
        monkeypatch.setenv(key, value)
    boto3.client("athena").create_work_group(Name="iot")
    return bucket


def _produce_journey(bootstrap_servers: str):
    from iot_pipeline.resources.kafka import KafkaResource
    from simulator import KafkaSink, SimulationConfig, run_simulation

    KafkaResource(bootstrap_servers=bootstrap_servers, partitions=1).ensure_topics(TOPICS)
    # Some malformed records too: their dead letters are rebuilt from offsets logged on s3a.
    config = SimulationConfig(
        vehicles=2, seed=7, as_fast_as_possible=True, max_events=400, malformed_rate=0.03
    )
    return run_simulation(config, KafkaSink(bootstrap_servers=bootstrap_servers))


def test_aws_profile_end_to_end_on_moto(
    aws_profile_env, bootstrap_servers, redshift_spectrum_stand_in
):
    simulated = _produce_journey(bootstrap_servers)
    produced = simulated.valid_unique_per_topic
    malformed = {t: n for t, n in simulated.malformed_per_topic.items() if n}
    assert sum(produced.values()) > 0 and malformed
    resources = aws_resources()
    lake = resources["lake_storage"]
    assert lake.root_uri() == f"s3a://{aws_profile_env}/lake"

    # Lake: spark-submit of spark_jobs/stream_to_lake.py through Pipes, writing s3a:// into moto.
    streamed = dg.materialize([lake_tables], resources=resources)
    assert streamed.success
    for contract in CONTRACTS:
        files = lake.data_files(contract.table)
        # A short journey may pass no camera or incident: only what was produced must land.
        assert bool(files) == bool(produced.get(contract.topic)), (contract.table, produced)
        assert all(f.partition.startswith("dt=") for f in files)
    vehicles = lake.read_table("vehicle_data")
    assert vehicles.num_rows == produced["vehicle_data"]
    dead = lake.read_table("dead_letter").to_pylist()
    assert Counter(d["topic"] for d in dead) == malformed
    assert all(d["error"] and d["ingested_at"] for d in dead)

    # Catalog, views and external schema: the real assets on Glue, Athena and Redshift (moto).
    served = dg.materialize(
        [catalog_tables, serving_views, warehouse_external_schema], resources=resources
    )
    assert served.success

    glue = boto3.client("glue")
    for contract in CONTRACTS:
        table = glue.get_table(DatabaseName="iot_catalog", Name=contract.table)["Table"]
        assert table["StorageDescriptor"]["Location"] == (
            f"s3://{aws_profile_env}/lake/{contract.table}/"
        )
        parts = glue.get_partitions(DatabaseName="iot_catalog", TableName=contract.table)
        landed = {f.partition for f in lake.data_files(contract.table)}
        assert {f"dt={p['Values'][0]}" for p in parts["Partitions"]} == landed

    athena = boto3.client("athena")
    ids = athena.list_query_executions(WorkGroup="iot")["QueryExecutionIds"]
    queries = [
        athena.get_query_execution(QueryExecutionId=i)["QueryExecution"]["Query"] for i in ids
    ]
    for name in view_names():
        assert any(q.startswith(f"CREATE OR REPLACE VIEW iot_serving.{name} AS") for q in queries)

    issued = redshift_spectrum_stand_in()
    assert issued[0].startswith("CREATE EXTERNAL SCHEMA IF NOT EXISTS iot_lake FROM DATA CATALOG")
    assert f"IAM_ROLE '{ROLE}'" in issued[0]
    assert "svv_external_tables" in issued[1]
    (schema,) = [
        e.materialization
        for e in served.get_asset_materialization_events()
        if e.asset_key == WAREHOUSE_SCHEMA_KEY
    ]
    assert sorted(schema.metadata["tables"].value) == sorted(c.table for c in CONTRACTS)
