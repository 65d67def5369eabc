"""The five IoT record contracts: the one place their fields, types and required-ness are written.

Everything else derives from here: the simulator's records, Spark's parse schema, the lake's
Parquet/pyarrow schema, the catalog's (Glue, DuckDB) columns and the asset checks.
Field names keep the seed's camelCase, since they are what the devices send on the wire.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FieldType(StrEnum):
    """Logical types a record field can have; each reader maps them to its own type system."""

    STRING = "string"
    INT = "int"  # 32-bit
    LONG = "long"  # 64-bit
    DOUBLE = "double"
    BOOLEAN = "boolean"
    TIMESTAMP = "timestamp"  # ISO-8601 with UTC offset on the wire, timestamp (UTC) in the lake
    LOCATION = "location"  # {"latitude": double, "longitude": double}


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    required: bool = True
    description: str = ""


@dataclass(frozen=True)
class RecordContract:
    """The schema of one feed: its Kafka topic, lake table and catalog table share this name."""

    name: str
    version: int
    description: str
    fields: tuple[Field, ...]

    @property
    def topic(self) -> str:
        return self.name

    @property
    def table(self) -> str:
        return self.name

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required_fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")


T = FieldType

# Fields every record carries, in this order.
_COMMON: tuple[Field, ...] = (
    Field("id", T.STRING, description="Unique event id (deterministic for a given simulator seed)"),
    Field("schemaVersion", T.INT, description="Version of this record contract"),
    Field("deviceId", T.STRING, description="The vehicle the record is about; also the Kafka key"),
    Field("timestamp", T.TIMESTAMP, description="Event time, UTC"),
)

VEHICLE = RecordContract(
    name="vehicle_data",
    version=1,
    description="Telematics from each vehicle: position, speed, heading, odometer, fuel.",
    fields=_COMMON
    + (
        Field("location", T.LOCATION, description="WGS84 position"),
        Field("speed", T.DOUBLE, description="km/h"),
        Field("direction", T.DOUBLE, description="Bearing travelled, degrees [0, 360)"),
        Field("make", T.STRING),
        Field("model", T.STRING),
        Field("year", T.INT),
        Field("fuelType", T.STRING, description="Petrol, Diesel, Hybrid or Electric"),
        Field("odometerKm", T.DOUBLE, description="Total distance driven, km"),
        Field("fuelLevelPct", T.DOUBLE, description="Fuel or battery level, percent"),
    ),
)

GPS = RecordContract(
    name="gps_data",
    version=1,
    description="GPS fixes from each vehicle's receiver.",
    fields=_COMMON
    + (
        Field("location", T.LOCATION, description="WGS84 position"),
        Field("speed", T.DOUBLE, description="km/h"),
        Field("direction", T.DOUBLE, description="Bearing travelled, degrees [0, 360)"),
        Field("vehicleType", T.STRING, description="car, van, truck, ..."),
        Field("accuracy", T.DOUBLE, description="Horizontal accuracy, metres"),
    ),
)

TRAFFIC = RecordContract(
    name="traffic_data",
    version=1,
    description="A fixed roadside camera's report of a vehicle passing it.",
    fields=_COMMON
    + (
        Field("cameraId", T.STRING),
        Field("location", T.LOCATION, description="The camera's fixed position"),
        Field("snapshot", T.STRING, required=False, description="Reference to the stored image"),
        Field("speed", T.DOUBLE, required=False, description="Measured speed, km/h"),
    ),
)

WEATHER = RecordContract(
    name="weather_data",
    version=1,
    description="Weather at the vehicle, from the nearest station along the route.",
    fields=_COMMON
    + (
        Field("stationId", T.STRING),
        Field("location", T.LOCATION, description="Where the reading applies"),
        Field("temperature", T.DOUBLE, description="Degrees Celsius"),
        Field("weatherCondition", T.STRING, description="Clear, Cloudy, Rain, Fog, Snow, ..."),
        Field("precipitation", T.DOUBLE, description="mm/h"),
        Field("windSpeed", T.DOUBLE, description="km/h"),
        Field("humidity", T.DOUBLE, description="Percent"),
        Field("airQualityIndex", T.INT, description="UK DAQI-like index"),
    ),
)

EMERGENCY = RecordContract(
    name="emergency_data",
    version=1,
    description="Incidents near the vehicle and their lifecycle: reported, active, resolved.",
    fields=_COMMON
    + (
        Field("incidentId", T.STRING),
        Field("type", T.STRING, description="Accident, Fire, Medical, Police, Breakdown"),
        Field("location", T.LOCATION, description="Where the incident is"),
        Field("status", T.STRING, description="Reported, Active or Resolved"),
        Field("description", T.STRING, required=False),
    ),
)

CONTRACTS: tuple[RecordContract, ...] = (VEHICLE, GPS, TRAFFIC, WEATHER, EMERGENCY)
BY_NAME: dict[str, RecordContract] = {c.name: c for c in CONTRACTS}
TOPICS: tuple[str, ...] = tuple(c.topic for c in CONTRACTS)


def contract_for(name: str) -> RecordContract:
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown feed {name!r}; expected one of {', '.join(TOPICS)}") from None
