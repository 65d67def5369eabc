"""Lake layout shared by the streaming job, the catalog and the checks (no Spark or Dagster here).

<lake_root>/<table>/dt=YYYY-MM-DD/part-*.parquet   one folder per feed, hive-partitioned by event date
<lake_root>/dead_letter/dt=YYYY-MM-DD/...           records that failed their contract, with the reason
<lake_root>/_checkpoints/<query>/                    Spark checkpoints, never inside a table folder
"""

from __future__ import annotations

from iot_contracts.records import Field, FieldType, RecordContract

T = FieldType

PARTITION_COLUMN = "dt"
CHECKPOINTS_DIR = "_checkpoints"
DEAD_LETTER_TABLE = "dead_letter"

# Columns the streaming job adds to every lake row, so counts reconcile against Kafka offsets.
LINEAGE_FIELDS: tuple[Field, ...] = (
    Field("kafka_partition", T.INT, description="Kafka partition the record was read from"),
    Field("kafka_offset", T.LONG, description="Kafka offset the record was read from"),
    Field("ingested_at", T.TIMESTAMP, description="When the streaming job read the record"),
)

DEAD_LETTER = RecordContract(
    name=DEAD_LETTER_TABLE,
    version=1,
    description="Kafka records that failed their contract, kept with the raw payload and the reason.",
    fields=(
        Field("topic", T.STRING, description="Kafka topic the record came from"),
        Field("kafka_partition", T.INT),
        Field("kafka_offset", T.LONG),
        Field("key", T.STRING, required=False, description="Kafka key, UTF-8 decoded"),
        Field("raw_value", T.STRING, required=False, description="The payload as received"),
        Field("error", T.STRING, description="Why the record was rejected"),
        Field("ingested_at", T.TIMESTAMP),
    ),
)


def lake_fields(contract: RecordContract) -> tuple[Field, ...]:
    """The columns of a feed's lake table (without the partition column)."""
    return contract.fields + LINEAGE_FIELDS


def join(root: str, *parts: str) -> str:
    """Join lake paths for local paths and URIs (s3a://, file://) alike."""
    return "/".join([root.rstrip("/"), *(p.strip("/") for p in parts)])


def table_location(lake_root: str, table: str) -> str:
    return join(lake_root, table)


def checkpoint_location(lake_root: str, query: str) -> str:
    return join(lake_root, CHECKPOINTS_DIR, query)


def is_hidden(name: str) -> bool:
    """Athena, Hive and DuckDB-style readers skip files and folders starting with '_' or '.'."""
    return name.startswith(("_", "."))
