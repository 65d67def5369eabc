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
        data = _read(lake_storage, table)
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

    checks = [matches_contract, unique_event_ids, required_values_present, landed_recently]
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
