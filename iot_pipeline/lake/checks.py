"""Asset checks on the lake tables, reading what actually landed (pyarrow, like Athena lists files).

Blocking (ERROR) where the catalog and views must not be refreshed over bad data: schema, unique ids,
required values. Warnings where a human should look but serving may go on: bounds, dead-letter rate.
"""

import os
from datetime import UTC, datetime, timedelta

import dagster as dg

from iot_contracts import RecordContract, lake
from iot_pipeline.keys import FEEDS, lake_key
from iot_pipeline.lake import quality
from iot_pipeline.resources.lake import LakeStorage

DEAD_LETTER_RATE_THRESHOLD = float(os.environ.get("IOT_DEAD_LETTER_RATE_THRESHOLD", "0.05"))
FRESHNESS_MAX_AGE = timedelta(minutes=float(os.environ.get("IOT_FRESHNESS_MAX_AGE_MINUTES", "30")))
FRESHNESS_CHECK = "landed_recently"


def _result(outcome: quality.Outcome, severity: dg.AssetCheckSeverity) -> dg.AssetCheckResult:
    passed, metadata = outcome
    return dg.AssetCheckResult(
        passed=passed,
        severity=severity,
        metadata={
            k: dg.MetadataValue.json(v) if isinstance(v, list | dict) else v
            for k, v in metadata.items()
        },
    )


def _read(lake_storage: LakeStorage, table: str):
    return lake_storage.read_table(table)


def freshness_evaluation(lake_storage: LakeStorage, table: str, now: datetime | None = None):
    """The freshness outcome of one table, from the newest committed file in its location."""
    newest = lake_storage.newest_file_time(table)
    return quality.freshness(newest, now or datetime.now(UTC), FRESHNESS_MAX_AGE)


def stream_history(instance: dg.DagsterInstance, key: dg.AssetKey) -> tuple[int, int]:
    """(records read from Kafka, records dropped as duplicate or late) over every stream run.

    Offsets are dense from 0 for our non-transactional producers, so the highest end offset the
    stream reported per partition is the number of records it has read from that partition.
    """
    ends: dict[str, int] = {}
    dropped = 0
    cursor = None
    while True:
        page = instance.fetch_materializations(key, limit=1000, cursor=cursor, ascending=True)
        for record in page.records:
            mat = record.asset_materialization
            metadata = mat.metadata if mat else {}
            offsets = metadata.get("kafka_offsets")
            for partition, span in (offsets.value if offsets else {}).items():
                ends[partition] = max(ends.get(partition, 0), int(span.get("end") or 0))
            for name in ("duplicates_dropped", "late_dropped"):
                dropped += int(metadata[name].value) if name in metadata else 0
        if not page.has_more:
            return sum(ends.values()), dropped
        cursor = page.cursor


def _checks_for(contract: RecordContract) -> list[dg.AssetChecksDefinition]:
    key, table = lake_key(contract.table), contract.table

    @dg.asset_check(asset=key, name="matches_contract", blocking=True)
    def matches_contract(lake_storage: LakeStorage) -> dg.AssetCheckResult:
        """Columns and types of the landed Parquet match the record contract."""
        data = _read(lake_storage, table)
        if data is None:
            return dg.AssetCheckResult(passed=True, metadata={"rows": 0, "note": "no files yet"})
        return _result(
            quality.schema_conformance(contract, data.schema), dg.AssetCheckSeverity.ERROR
        )

    @dg.asset_check(asset=key, name="unique_event_ids", blocking=True)
    def unique_event_ids(lake_storage: LakeStorage) -> dg.AssetCheckResult:
        """No event id appears twice in the lake (exactly-once for outside readers)."""
        data = lake_storage.read_table(table, columns=["id"])
        if data is None:
            return dg.AssetCheckResult(passed=True, metadata={"rows": 0})
        return _result(quality.unique_ids(data), dg.AssetCheckSeverity.ERROR)

    @dg.asset_check(asset=key, name="required_values_present", blocking=True)
    def required_values_present(lake_storage: LakeStorage) -> dg.AssetCheckResult:
        """Fields the contract requires are never null."""
        data = _read(lake_storage, table)
        if data is None:
            return dg.AssetCheckResult(passed=True, metadata={"rows": 0})
        return _result(quality.required_not_null(contract, data), dg.AssetCheckSeverity.ERROR)

    @dg.asset_check(asset=key, name=FRESHNESS_CHECK)
    def landed_recently(lake_storage: LakeStorage) -> dg.AssetCheckResult:
        """The newest committed data file landed within the freshness window."""
        return _result(freshness_evaluation(lake_storage, table), dg.AssetCheckSeverity.WARN)

    @dg.asset_check(asset=key, name="reconciles_with_kafka")
    def reconciles_with_kafka(
        context: dg.AssetCheckExecutionContext, lake_storage: LakeStorage
    ) -> dg.AssetCheckResult:
        """Every Kafka record the stream has read is a lake row, a dead letter or a dropped duplicate."""
        read, dropped = stream_history(context.instance, key)
        rows = lake_storage.read_table(table, columns=[])  # the row count only
        dead = lake_storage.read_table(lake.DEAD_LETTER_TABLE, columns=["topic"])
        dead_here = 0 if dead is None else dead.column("topic").to_pylist().count(contract.topic)
        outcome = quality.reconciliation(
            read, 0 if rows is None else rows.num_rows, dead_here, dropped
        )
        return _result(outcome, dg.AssetCheckSeverity.ERROR)

    checks = [
        matches_contract,
        unique_event_ids,
        required_values_present,
        landed_recently,
        reconciles_with_kafka,
    ]
    if {"speed", "location"} & set(contract.field_names):

        @dg.asset_check(asset=key, name="physically_plausible")
        def physically_plausible(lake_storage: LakeStorage) -> dg.AssetCheckResult:
            """Speeds, headings and positions are possible for a vehicle on this route."""
            data = _read(lake_storage, table)
            if data is None:
                return dg.AssetCheckResult(passed=True, metadata={"rows": 0})
            return _result(quality.physical_bounds(data), dg.AssetCheckSeverity.WARN)

        checks.append(physically_plausible)
    return checks


@dg.asset_check(asset=lake_key(lake.DEAD_LETTER_TABLE), name="dead_letter_rate")
def dead_letter_rate(lake_storage: LakeStorage) -> dg.AssetCheckResult:
    """Dead letters stay below the threshold share of all records read."""
    dead = lake_storage.read_table(lake.DEAD_LETTER_TABLE, columns=[])
    valid = 0
    for contract in FEEDS:
        data = lake_storage.read_table(contract.table, columns=[])
        valid += 0 if data is None else data.num_rows
    outcome = quality.dead_letter_rate(
        0 if dead is None else dead.num_rows, valid, DEAD_LETTER_RATE_THRESHOLD
    )
    return _result(outcome, dg.AssetCheckSeverity.WARN)


LAKE_CHECKS = [check for contract in FEEDS for check in _checks_for(contract)] + [dead_letter_rate]
