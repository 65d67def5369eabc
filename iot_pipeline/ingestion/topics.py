"""The five Kafka topics as assets: ensured to exist, then fed by a simulated journey."""

from collections.abc import Iterator
from datetime import UTC, datetime

import dagster as dg
from pydantic import Field

from iot_contracts import TOPICS
from iot_pipeline.keys import FEEDS, topic_key
from iot_pipeline.resources.kafka import KafkaResource
from iot_pipeline.schema_metadata import column_schema_metadata

TOPIC_SPECS = [
    dg.AssetSpec(
        topic_key(c.topic),
        group_name="ingestion",
        kinds={"kafka"},
        owners=["team:iot-ingestion"],
        description=f"Kafka topic `{c.topic}`: {c.description}",
        metadata={
            "topic": c.topic,
            "schema_version": c.version,
            **column_schema_metadata(c.fields),
        },
    )
    for c in FEEDS
]


# Summary fields of the simulator kept on each topic's materialization (sim_end feeds the next start).
JOURNEY_KEYS = ("sim_start", "sim_end", "seed", "vehicles", "events_per_s", "delivery_failures")


def _last_journey_end(context: dg.AssetExecutionContext) -> datetime | None:
    event = context.instance.get_latest_materialization_event(TOPIC_SPECS[0].key)
    mat = event.asset_materialization if event else None
    end = mat.metadata.get("sim_end") if mat else None
    return datetime.fromisoformat(end.value).astimezone(UTC) if end else None


class JourneyConfig(dg.Config):
    """How the simulated fleet drives; defaults give one clean London -> Birmingham journey."""

    simulate: bool = Field(default=True, description="False: only ensure the topics exist")
    start_time: str | None = Field(
        default=None,
        description="Simulated start (ISO-8601). Default: now, or where the last journey ended if "
        "later, so event time only moves forward and the stream never sees a journey as late",
    )
    vehicles: int = Field(default=1, ge=1, le=10_000)
    seed: int = Field(default=42)
    as_fast_as_possible: bool = Field(default=True, description="False: simulated time at speedup")
    speedup: float = Field(default=1.0, gt=0)
    duration_s: float | None = Field(default=None, description="Stop after this many seconds")
    max_events: int | None = Field(default=None, ge=1)
    duplicate_rate: float = Field(default=0.0, ge=0, le=1)
    late_rate: float = Field(default=0.0, ge=0, le=1)
    max_lateness_s: float = Field(default=300.0, ge=0)
    malformed_rate: float = Field(default=0.0, ge=0, le=1)
    dropout_rate: float = Field(default=0.0, ge=0, le=1)


def journey_start(config: JourneyConfig, last_end: datetime | None, now: datetime) -> datetime:
    """Where simulated time starts: as configured, else max(now, last journey's end), whole seconds."""
    if config.start_time:
        return datetime.fromisoformat(config.start_time).astimezone(UTC)
    start = max(now, last_end) if last_end else now
    return start.replace(microsecond=0)


def simulation_config(config: JourneyConfig, start: datetime):  # -> simulator.SimulationConfig
    from simulator import SimulationConfig

    return SimulationConfig(
        start_time=start,
        vehicles=config.vehicles,
        seed=config.seed,
        as_fast_as_possible=config.as_fast_as_possible,
        speedup=config.speedup,
        duration_s=config.duration_s,
        max_events=config.max_events,
        duplicate_rate=config.duplicate_rate,
        late_rate=config.late_rate,
        max_lateness_s=config.max_lateness_s,
        malformed_rate=config.malformed_rate,
        dropout_rate=config.dropout_rate,
    )


@dg.multi_asset(specs=TOPIC_SPECS, name="kafka_topics")
def kafka_topics(
    context: dg.AssetExecutionContext, config: JourneyConfig, kafka: KafkaResource
) -> Iterator[dg.MaterializeResult]:
    """Ensure the five topics exist, then produce one simulated journey into them."""
    created = kafka.ensure_topics(TOPICS)
    produced: dict[str, int] = {}
    journey: dict = {}
    if config.simulate:
        from simulator import KafkaSink, run_simulation

        start = journey_start(config, _last_journey_end(context), datetime.now(UTC))
        context.log.info(
            f"Simulating {config.vehicles} vehicle(s), seed {config.seed}, from {start.isoformat()}"
        )
        sink = KafkaSink(bootstrap_servers=kafka.bootstrap_servers, **kafka.client_options)
        result = run_simulation(simulation_config(config, start), sink)
        produced = dict(result.events_per_topic)
        summary = result.to_dict()
        context.log.info(f"Simulator summary: {summary}")
        journey = {k: summary[k] for k in JOURNEY_KEYS if k in summary}
    offsets = kafka.end_offsets(TOPICS)
    for topic in TOPICS:
        ends = offsets.get(topic, {})
        yield dg.MaterializeResult(
            asset_key=topic_key(topic),
            metadata={
                "records_produced": produced.get(topic, 0),
                "end_offsets": dg.MetadataValue.json({str(p): o for p, o in sorted(ends.items())}),
                "end_offset_total": sum(ends.values()),
                "partitions": len(ends),
                "created_now": created.get(topic, False),
                "bootstrap_servers": kafka.bootstrap_servers,
                **journey,
            },
        )
