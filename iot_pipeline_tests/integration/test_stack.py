"""The local stack: a real KRaft broker from the Maven jars, started and stopped by our code."""

import socket

import pytest
from kafka import KafkaConsumer, KafkaProducer

from iot_pipeline.resources.kafka import KafkaResource
from iot_pipeline.stack.broker import KafkaBroker, StackError, free_port

pytestmark = pytest.mark.integration


def test_session_broker_answers_and_round_trips(kafka_broker):
    status = kafka_broker.status()
    assert status.running and status.bootstrap_servers == kafka_broker.bootstrap_servers
    producer = KafkaProducer(bootstrap_servers=kafka_broker.bootstrap_servers, acks="all")
    for i in range(5):
        producer.send("stack_roundtrip", key=b"k", value=f"m{i}".encode())
    producer.flush()
    producer.close()
    consumer = KafkaConsumer(
        "stack_roundtrip",
        bootstrap_servers=kafka_broker.bootstrap_servers,
        auto_offset_reset="earliest",
        consumer_timeout_ms=5000,
    )
    assert sorted(m.value for m in consumer) == [f"m{i}".encode() for i in range(5)]
    consumer.close()


def test_up_is_idempotent(kafka_broker):
    pid = kafka_broker.status().pid
    again = KafkaBroker(home=kafka_broker.home, port=kafka_broker.port)
    assert again.up().pid == pid


def test_port_taken_is_a_clear_error(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        broker = KafkaBroker(home=tmp_path / "k", port=port)
        with pytest.raises(StackError, match=f"port {port}.*already in use"):
            broker.up()
    assert not broker.status().running


def test_down_stops_only_its_own_broker(kafka_broker, tmp_path):
    stranger = KafkaBroker(home=tmp_path / "other", port=free_port())
    assert stranger.down() is False  # never started here: nothing to stop
    assert kafka_broker.status().running


def test_topics_are_ensured_with_partitions_and_offsets_reported(bootstrap_servers):
    kafka = KafkaResource(bootstrap_servers=bootstrap_servers, partitions=2)
    assert kafka.ensure_topics(["ensure_a", "ensure_b"]) == {"ensure_a": True, "ensure_b": True}
    assert kafka.ensure_topics(["ensure_a"]) == {"ensure_a": False}
    producer = KafkaProducer(bootstrap_servers=bootstrap_servers)
    for _ in range(7):
        producer.send("ensure_a", b"x")
    producer.flush()
    producer.close()
    offsets = kafka.end_offsets(["ensure_a", "ensure_b", "missing_topic"])
    assert set(offsets) == {"ensure_a", "ensure_b"}
    assert len(offsets["ensure_a"]) == 2 and sum(offsets["ensure_a"].values()) == 7
    assert sum(offsets["ensure_b"].values()) == 0
