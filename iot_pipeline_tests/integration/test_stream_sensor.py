"""stream_when_kafka_is_ahead across its cursor cases, against the real broker's end offsets."""

from dataclasses import dataclass

import dagster as dg
import pytest
from kafka import KafkaProducer

from iot_contracts import TOPICS
from iot_pipeline.lake.sensors import StreamCursor, backoff_s, evaluate_stream_sensor
from iot_pipeline.resources.kafka import KafkaResource
from iot_pipeline_tests.sensor_helpers import add_run

pytestmark = pytest.mark.integration


@pytest.fixture
def kafka(bootstrap_servers) -> KafkaResource:
    resource = KafkaResource(bootstrap_servers=bootstrap_servers)
    resource.ensure_topics(TOPICS)
    return resource


def _totals(kafka: KafkaResource) -> dict[str, int]:
    ends = kafka.end_offsets(TOPICS)
    return {t: sum(ends.get(t, {}).values()) for t in TOPICS}


def _tick(instance, kafka, cursor: StreamCursor, mode="available-now", now=1_000_000.0):
    context = dg.build_sensor_context(instance=instance, cursor=cursor.dump())
    result = evaluate_stream_sensor(context, kafka, mode, now=now)
    return Tick(
        run_requests=list(result.run_requests or []),
        skip_message=result.skip_reason.skip_message if result.skip_reason else "",
        cursor=result.cursor,
    )


@dataclass
class Tick:
    run_requests: list
    skip_message: str
    cursor: str


def test_no_new_data_skips(kafka):
    with dg.instance_for_test() as instance:
        result = _tick(instance, kafka, StreamCursor(committed=_totals(kafka)))
        assert not result.run_requests
        assert "caught up" in result.skip_message


def test_new_data_launches_available_now_and_remembers_offsets(kafka):
    committed = _totals(kafka)
    producer = KafkaProducer(bootstrap_servers=kafka.bootstrap_servers)
    producer.send("gps_data", b"{}")
    producer.flush()
    producer.close()
    with dg.instance_for_test() as instance:
        result = _tick(instance, kafka, StreamCursor(committed=committed))
        (request,) = result.run_requests
        assert request.run_config["ops"]["lake_tables"]["config"]["trigger"] == "available-now"
        cursor = StreamCursor.parse(result.cursor)
        assert cursor.pending_run_key == request.run_key
        assert cursor.pending_offsets["gps_data"] == committed["gps_data"] + 1


def test_run_in_progress_waits_then_success_commits(kafka):
    offsets = _totals(kafka)
    with dg.instance_for_test() as instance:
        run = add_run(instance, "stream_to_lake", dg.DagsterRunStatus.STARTED, run_key="k1")
        cursor = StreamCursor(pending_run_key="k1", pending_offsets=offsets)
        waiting = _tick(instance, kafka, cursor)
        assert not waiting.run_requests and "not finished" in waiting.skip_message
        instance.delete_run(run.run_id)
        add_run(instance, "stream_to_lake", dg.DagsterRunStatus.SUCCESS, run_key="k1")
        settled = _tick(instance, kafka, cursor)
        assert not settled.run_requests and "caught up" in settled.skip_message
        assert StreamCursor.parse(settled.cursor).committed == offsets


def test_failure_backs_off_then_relaunches(kafka):
    with dg.instance_for_test() as instance:
        add_run(instance, "stream_to_lake", dg.DagsterRunStatus.FAILURE, run_key="k2")
        cursor = StreamCursor(pending_run_key="k2", pending_offsets=_totals(kafka))
        backing_off = _tick(instance, kafka, cursor, now=1000.0)
        assert not backing_off.run_requests and "backing off" in backing_off.skip_message
        after = StreamCursor.parse(backing_off.cursor)
        assert after.failures == 1 and after.retry_after == 1000.0 + backoff_s(1)
        relaunched = _tick(instance, kafka, after, now=after.retry_after + 1)
        assert len(relaunched.run_requests) == 1  # committed is still empty: Kafka is ahead


def test_continuous_mode_keeps_exactly_one_run_alive(kafka):
    with dg.instance_for_test() as instance:
        first = _tick(instance, kafka, StreamCursor(), mode="continuous")
        (request,) = first.run_requests
        assert request.run_config["ops"]["lake_tables"]["config"]["trigger"].startswith(
            "processing-time"
        )
        add_run(instance, "stream_to_lake", dg.DagsterRunStatus.STARTED, run_key=request.run_key)
        second = _tick(instance, kafka, StreamCursor.parse(first.cursor), mode="continuous")
        assert not second.run_requests


def test_unreachable_kafka_is_a_skip_not_a_hang():
    dead = KafkaResource(bootstrap_servers="127.0.0.1:1", timeout_s=1.0)
    with dg.instance_for_test() as instance:
        result = _tick(instance, dead, StreamCursor())
        assert not result.run_requests and "unreachable" in result.skip_message
