"""`stack up|down` on its own broker: down leaves nothing running, data survives a restart."""

import pytest

from iot_pipeline.resources.kafka import KafkaResource
from iot_pipeline.stack.broker import KafkaBroker, _pid_alive, free_port

pytestmark = pytest.mark.integration


def test_down_leaves_no_broker_and_up_keeps_topics(tmp_path):
    broker = KafkaBroker(home=tmp_path / "kafka", port=free_port())
    try:
        pid = broker.up().pid
        KafkaResource(bootstrap_servers=broker.bootstrap_servers).ensure_topics(["survivor"])
        assert broker.down() is True
        assert not _pid_alive(pid)
        assert not broker.status().running
        broker.up()
        topics = KafkaResource(bootstrap_servers=broker.bootstrap_servers).end_offsets(["survivor"])
        assert "survivor" in topics
    finally:
        broker.down()
