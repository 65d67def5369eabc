"""The parse schema and lake columns derive from the contracts (no Spark session needed)."""

import pytest

from iot_contracts import CONTRACTS, FieldType
from iot_contracts.lake import DEAD_LETTER, LINEAGE_FIELDS, PARTITION_COLUMN, lake_fields
from spark_jobs import parsing

pytest.importorskip("pyspark")


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name)
def test_parse_schema_is_the_contract_plus_corrupt_column(contract):
    from pyspark.sql import types as st

    schema = parsing.parse_schema(contract)
    assert schema.fieldNames() == [*contract.field_names, parsing.CORRUPT]
    for f in contract.fields:
        spark_field = schema[f.name]
        assert spark_field.nullable  # missing fields are detected by the job, not by Spark
        if f.type is FieldType.TIMESTAMP:
            # Parsed as text and converted with a strict ISO-8601 pattern afterwards.
            assert spark_field.dataType == st.StringType()
        if f.type is FieldType.LOCATION:
            assert spark_field.dataType.fieldNames() == ["latitude", "longitude"]


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name)
def test_lake_columns_follow_contract_then_lineage_then_partition(contract):
    cols = parsing.lake_columns(contract)
    assert cols == [f.name for f in lake_fields(contract)] + [PARTITION_COLUMN]
    assert cols[-4:-1] == [f.name for f in LINEAGE_FIELDS]


def test_dead_letter_columns_follow_the_dead_letter_contract():
    assert parsing.dead_letter_columns() == [*DEAD_LETTER.field_names, PARTITION_COLUMN]


def test_parse_fields_only_retype_timestamps():
    for contract in CONTRACTS:
        for original, parsed in zip(contract.fields, parsing.parse_fields(contract), strict=True):
            assert parsed.name == original.name and parsed.required == original.required
            expected = FieldType.STRING if original.type is FieldType.TIMESTAMP else original.type
            assert parsed.type is expected
