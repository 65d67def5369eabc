"""Session fixtures: one real Kafka broker (KRaft, Maven jars) per test session, on a free port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from iot_pipeline.stack.broker import KafkaBroker, free_port


@pytest.fixture(scope="session")
def kafka_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KafkaBroker]:
    """A real single-node Kafka 4 broker, started once and stopped at the end of the session."""
    broker = KafkaBroker(home=tmp_path_factory.mktemp("kafka"), port=free_port())
    broker.up()
    try:
        yield broker
    finally:
        broker.down()


@pytest.fixture(scope="session")
def bootstrap_servers(kafka_broker: KafkaBroker) -> str:
    return kafka_broker.bootstrap_servers


@pytest.fixture
def lake_root(tmp_path: Path) -> Path:
    root = tmp_path / "lake"
    root.mkdir()
    return root
