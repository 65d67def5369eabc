"""Sensors of the lake layer: launch the stream when Kafka is ahead, and watch freshness.

The stream sensor never polls Kafka for records: it asks for end offsets (one admin call with a
short timeout) and compares them with what its last successful run had in front of it.
"""

import json
import os
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import dagster as dg

from iot_contracts import TOPICS
from iot_pipeline.jobs import stream_to_lake
from iot_pipeline.keys import LAKE_TABLES, lake_key
from iot_pipeline.lake.checks import FRESHNESS_CHECK, freshness_evaluation
from iot_pipeline.resources.kafka import KafkaResource
from iot_pipeline.resources.lake import LakeStorage
from iot_pipeline.runs import FAILED, run_by_key, runs_in_progress

CONTINUOUS_TRIGGER = "processing-time=10 seconds"
BACKOFF_BASE_S = 30.0
BACKOFF_MAX_S = 900.0


def stream_mode() -> str:
    """available-now (a catch-up run whenever Kafka is ahead) or continuous (one run kept alive)."""
    mode = os.environ.get("IOT_STREAM_MODE", "available-now")
    if mode not in ("available-now", "continuous"):
        raise ValueError(f"IOT_STREAM_MODE must be available-now or continuous, got {mode!r}")
    return mode


@dataclass
class StreamCursor:
    """What the stream sensor remembers between ticks (serialized as JSON in the cursor)."""

    committed: dict[str, int] = field(
        default_factory=dict
    )  # records per topic the lake caught up to
    pending_run_key: str | None = None
    pending_offsets: dict[str, int] = field(default_factory=dict)
    failures: int = 0
    retry_after: float = 0.0

    @classmethod
    def parse(cls, text: str | None) -> "StreamCursor":
        return cls(**json.loads(text)) if text else cls()

    def dump(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


def backoff_s(failures: int) -> float:
    return min(BACKOFF_BASE_S * 2 ** max(failures - 1, 0), BACKOFF_MAX_S)


def _settle_pending(cursor: StreamCursor, instance: dg.DagsterInstance, now: float) -> str | None:
    """Fold the outcome of the last launched run into the cursor; a reason to wait, or None."""
    if not cursor.pending_run_key:
        return None
    run = run_by_key(instance, cursor.pending_run_key)
    if run is None or not run.is_finished:
        return f"stream run {cursor.pending_run_key} has not finished"
    if run.status == dg.DagsterRunStatus.SUCCESS:
        cursor.committed = cursor.pending_offsets
        cursor.failures = 0
    elif run.status in FAILED:
        cursor.failures += 1
        cursor.retry_after = now + backoff_s(cursor.failures)
    cursor.pending_run_key, cursor.pending_offsets = None, {}
    return None


def evaluate_stream_sensor(
    context: dg.SensorEvaluationContext, kafka: KafkaResource, mode: str, now: float | None = None
) -> dg.SensorResult | dg.SkipReason:
    now = time.time() if now is None else now
    cursor = StreamCursor.parse(context.cursor)
    waiting = _settle_pending(cursor, context.instance, now)
    if waiting:
        return dg.SensorResult(skip_reason=waiting, cursor=cursor.dump())
    if runs_in_progress(context.instance, stream_to_lake.name):
        return dg.SensorResult(skip_reason="a stream run is in progress", cursor=cursor.dump())
    if now < cursor.retry_after:
        wait = cursor.retry_after - now
        reason = f"backing off {wait:.0f}s after {cursor.failures} failed stream run(s)"
        return dg.SensorResult(skip_reason=reason, cursor=cursor.dump())

    trigger = CONTINUOUS_TRIGGER if mode == "continuous" else "available-now"
    offsets: dict[str, int] = {}
    if mode == "available-now":
        try:
            ends = kafka.end_offsets(TOPICS)
        except Exception as err:  # an unreachable broker is a skip, never a hung or failed tick
            return dg.SensorResult(skip_reason=f"Kafka unreachable: {err}", cursor=cursor.dump())
        offsets = {t: sum(ends.get(t, {}).values()) for t in TOPICS}
        behind = {t: n - cursor.committed.get(t, 0) for t, n in offsets.items()}
        if not any(v > 0 for v in behind.values()):
            return dg.SensorResult(
                skip_reason="the lake has caught up with Kafka", cursor=cursor.dump()
            )
        context.log.info(f"Kafka is ahead of the lake by {behind}")

    run_key = f"stream-{mode}-{int(now)}-{sum(offsets.values())}"
    cursor.pending_run_key, cursor.pending_offsets = run_key, offsets
    request = dg.RunRequest(
        run_key=run_key,
        run_config={"ops": {"lake_tables": {"config": {"trigger": trigger}}}},
        tags={"iot/stream_mode": mode},
    )
    return dg.SensorResult(run_requests=[request], cursor=cursor.dump())


def build_stream_sensor(default_status: dg.DefaultSensorStatus) -> dg.SensorDefinition:
    @dg.sensor(
        name="stream_when_kafka_is_ahead",
        job=stream_to_lake,
        minimum_interval_seconds=30,
        default_status=default_status,
    )
    def stream_when_kafka_is_ahead(context: dg.SensorEvaluationContext, kafka: KafkaResource):
        """Launch the stream when Kafka holds records the lake has not caught up to (or keep one alive)."""
        return evaluate_stream_sensor(context, kafka, stream_mode())

    return stream_when_kafka_is_ahead


def evaluate_freshness_sensor(
    context: dg.SensorEvaluationContext, lake_storage: LakeStorage, now: datetime | None = None
) -> dg.SensorResult:
    """Record each lake table's freshness check when its verdict changes."""
    previous = json.loads(context.cursor) if context.cursor else {}
    current: dict[str, bool] = {}
    events = []
    for table in LAKE_TABLES:
        passed, metadata = freshness_evaluation(lake_storage, table, now=now or datetime.now(UTC))
        current[table] = passed
        if previous.get(table) != passed:
            events.append(
                dg.AssetCheckEvaluation(
                    asset_key=lake_key(table),
                    check_name=FRESHNESS_CHECK,
                    passed=passed,
                    severity=dg.AssetCheckSeverity.WARN,
                    metadata=metadata,
                )
            )
    return dg.SensorResult(asset_events=events, cursor=json.dumps(current, sort_keys=True))


def build_freshness_sensor(default_status: dg.DefaultSensorStatus) -> dg.SensorDefinition:
    @dg.sensor(name="lake_freshness", minimum_interval_seconds=60, default_status=default_status)
    def lake_freshness(context: dg.SensorEvaluationContext, lake_storage: LakeStorage):
        """Flag a lake table stale within a minute of its newest file ageing past the window."""
        return evaluate_freshness_sensor(context, lake_storage)

    return lake_freshness
