"""Map the contracts' logical types to each reader's type system (Spark, Arrow, Hive/Glue, DuckDB)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from iot_contracts.records import Field, FieldType

if TYPE_CHECKING:
    import pyarrow as pa

T = FieldType

_HIVE = {
    T.STRING: "string",
    T.INT: "int",
    T.LONG: "bigint",
    T.DOUBLE: "double",
    T.BOOLEAN: "boolean",
    T.TIMESTAMP: "timestamp",
    T.LOCATION: "struct<latitude:double,longitude:double>",
}

_DUCKDB = {
    T.STRING: "VARCHAR",
    T.INT: "INTEGER",
    T.LONG: "BIGINT",
    T.DOUBLE: "DOUBLE",
    T.BOOLEAN: "BOOLEAN",
    T.TIMESTAMP: "TIMESTAMP WITH TIME ZONE",
    T.LOCATION: "STRUCT(latitude DOUBLE, longitude DOUBLE)",
}


def hive_type(field: Field) -> str:
    """Glue Data Catalog / Athena column type."""
    return _HIVE[field.type]


def duckdb_type(field: Field) -> str:
    return _DUCKDB[field.type]


def arrow_type(field: Field) -> pa.DataType:
    import pyarrow as pa

    return {
        T.STRING: pa.string(),
        T.INT: pa.int32(),
        T.LONG: pa.int64(),
        T.DOUBLE: pa.float64(),
        T.BOOLEAN: pa.bool_(),
        T.TIMESTAMP: pa.timestamp("us", tz="UTC"),
        T.LOCATION: pa.struct([("latitude", pa.float64()), ("longitude", pa.float64())]),
    }[field.type]


def arrow_schema(fields: tuple[Field, ...]) -> pa.Schema:
    import pyarrow as pa

    return pa.schema([pa.field(f.name, arrow_type(f), nullable=not f.required) for f in fields])


def spark_type(field: Field) -> Any:
    from pyspark.sql import types as st

    return {
        T.STRING: st.StringType(),
        T.INT: st.IntegerType(),
        T.LONG: st.LongType(),
        T.DOUBLE: st.DoubleType(),
        T.BOOLEAN: st.BooleanType(),
        T.TIMESTAMP: st.TimestampType(),
        T.LOCATION: st.StructType(
            [
                st.StructField("latitude", st.DoubleType(), False),
                st.StructField("longitude", st.DoubleType(), False),
            ]
        ),
    }[field.type]


def spark_schema(fields: tuple[Field, ...]) -> Any:
    """A Spark StructType; every field nullable so parsing can detect missing ones itself."""
    from pyspark.sql import types as st

    return st.StructType([st.StructField(f.name, spark_type(f), True) for f in fields])
