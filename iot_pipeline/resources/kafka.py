"""Kafka as Dagster sees it: topic administration and offsets, with short timeouts so sensors never hang."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

import dagster as dg
from pydantic import Field


class KafkaResource(dg.ConfigurableResource):
    """A Kafka cluster: the local KRaft broker, MSK, or any other; security settings pass through."""

    bootstrap_servers: str = Field(default="127.0.0.1:9092", description="host:port[,host:port]")
    partitions: int = Field(default=3, description="Partitions for topics this project creates")
    replication_factor: int = Field(default=1, description="3 on a real cluster")
    retention_ms: int = Field(default=7 * 24 * 3600 * 1000, description="Topic retention (7 days)")
    timeout_s: float = Field(default=5.0, description="Bound on every admin call")
    client_options: dict[str, str] = Field(
        default_factory=dict,
        description="Extra kafka-python client settings, e.g. security_protocol=SASL_SSL, "
        "sasl_mechanism=SCRAM-SHA-512 (secrets via EnvVar, never in files)",
    )

    def client_config(self) -> dict[str, Any]:
        return {"bootstrap_servers": self.bootstrap_servers, **self.client_options}

    @contextmanager
    def admin(self) -> Iterator[Any]:
        from kafka import KafkaAdminClient

        client = KafkaAdminClient(
            **self.client_config(), request_timeout_ms=int(self.timeout_s * 1000)
        )
        try:
            yield client
        finally:
            client.close()

    def ensure_topics(self, topics: Iterable[str]) -> dict[str, bool]:
        """Create missing topics with this resource's partitions and retention; True where created."""
        from kafka.admin import NewTopic
        from kafka.errors import TopicAlreadyExistsError

        wanted = list(topics)
        created: dict[str, bool] = {}
        with self.admin() as admin:
            existing = set(admin.list_topics())
            missing = [t for t in wanted if t not in existing]
            for topic in missing:
                with suppress(TopicAlreadyExistsError):
                    admin.create_topics(
                        [
                            NewTopic(
                                topic,
                                num_partitions=self.partitions,
                                replication_factor=self.replication_factor,
                                topic_configs={"retention.ms": str(self.retention_ms)},
                            )
                        ],
                        timeout_ms=int(self.timeout_s * 1000),
                        wait_for_metadata=True,
                    )
            created = {t: t in missing for t in wanted}
        return created

    def end_offsets(self, topics: Iterable[str]) -> dict[str, dict[int, int]]:
        """Latest offset per partition for each existing topic (missing topics are left out)."""
        from kafka import TopicPartition
        from kafka.admin import OffsetSpec

        wanted = list(topics)
        with self.admin() as admin:
            described = admin.describe_topics(wanted)
            specs = {
                TopicPartition(t["name"], p["partition_index"]): OffsetSpec.LATEST
                for t in described
                if not t.get("error_code")
                for p in t["partitions"]
            }
            offsets = admin.list_partition_offsets(specs) if specs else {}
        result: dict[str, dict[int, int]] = {}
        for tp, found in offsets.items():
            result.setdefault(tp.topic, {})[tp.partition] = found.offset
        return result
