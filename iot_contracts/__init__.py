"""Record contracts and lake layout shared by the simulator, the Spark jobs and the Dagster project.

This package imports neither Dagster nor Spark at module level, so any of them can depend on it.
"""

from iot_contracts.records import (
    BY_NAME,
    CONTRACTS,
    EMERGENCY,
    GPS,
    TOPICS,
    TRAFFIC,
    VEHICLE,
    WEATHER,
    Field,
    FieldType,
    RecordContract,
    contract_for,
)

__all__ = [
    "BY_NAME",
    "CONTRACTS",
    "EMERGENCY",
    "GPS",
    "TOPICS",
    "TRAFFIC",
    "VEHICLE",
    "WEATHER",
    "Field",
    "FieldType",
    "RecordContract",
    "contract_for",
]
