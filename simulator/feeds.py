"""Build the five feeds' records as dicts whose keys are exactly the iot_contracts fields.

The builders spell the keys out (a dict literal is the fastest way to build a record), and the
check at the bottom fails the import if they ever drift from the contracts.
"""

from __future__ import annotations

from typing import Any

from iot_contracts import EMERGENCY, GPS, TRAFFIC, VEHICLE, WEATHER

V_VERSION, G_VERSION, T_VERSION, W_VERSION, E_VERSION = (
    VEHICLE.version, GPS.version, TRAFFIC.version, WEATHER.version, EMERGENCY.version,
)  # fmt: skip


def vehicle(
    id: str, device: str, ts: str, lat: float, lon: float, speed_kmh: float, direction: float,
    make: str, model: str, year: int, fuel_type: str, odometer_km: float, fuel_pct: float,
) -> dict[str, Any]:  # fmt: skip
    return {
        "id": id,
        "schemaVersion": V_VERSION,
        "deviceId": device,
        "timestamp": ts,
        "location": {"latitude": lat, "longitude": lon},
        "speed": speed_kmh,
        "direction": direction,
        "make": make,
        "model": model,
        "year": year,
        "fuelType": fuel_type,
        "odometerKm": odometer_km,
        "fuelLevelPct": fuel_pct,
    }


def gps(
    id: str, device: str, ts: str, lat: float, lon: float, speed_kmh: float, direction: float,
    vehicle_type: str, accuracy_m: float,
) -> dict[str, Any]:  # fmt: skip
    return {
        "id": id,
        "schemaVersion": G_VERSION,
        "deviceId": device,
        "timestamp": ts,
        "location": {"latitude": lat, "longitude": lon},
        "speed": speed_kmh,
        "direction": direction,
        "vehicleType": vehicle_type,
        "accuracy": accuracy_m,
    }


def traffic(
    id: str, device: str, ts: str, camera_id: str, lat: float, lon: float, snapshot: str,
    speed_kmh: float,
) -> dict[str, Any]:  # fmt: skip
    return {
        "id": id,
        "schemaVersion": T_VERSION,
        "deviceId": device,
        "timestamp": ts,
        "cameraId": camera_id,
        "location": {"latitude": lat, "longitude": lon},
        "snapshot": snapshot,
        "speed": speed_kmh,
    }


def weather(
    id: str, device: str, ts: str, station_id: str, lat: float, lon: float, temperature: float,
    condition: str, precipitation: float, wind_speed: float, humidity: float, aqi: int,
) -> dict[str, Any]:  # fmt: skip
    return {
        "id": id,
        "schemaVersion": W_VERSION,
        "deviceId": device,
        "timestamp": ts,
        "stationId": station_id,
        "location": {"latitude": lat, "longitude": lon},
        "temperature": temperature,
        "weatherCondition": condition,
        "precipitation": precipitation,
        "windSpeed": wind_speed,
        "humidity": humidity,
        "airQualityIndex": aqi,
    }


def emergency(
    id: str, device: str, ts: str, incident_id: str, type_: str, lat: float, lon: float,
    status: str, description: str,
) -> dict[str, Any]:  # fmt: skip
    return {
        "id": id,
        "schemaVersion": E_VERSION,
        "deviceId": device,
        "timestamp": ts,
        "incidentId": incident_id,
        "type": type_,
        "location": {"latitude": lat, "longitude": lon},
        "status": status,
        "description": description,
    }


def _check_against_contracts() -> None:
    samples = {
        VEHICLE: vehicle("i", "d", "t", 0.0, 0.0, 0.0, 0.0, "m", "m", 2020, "Petrol", 0.0, 0.0),
        GPS: gps("i", "d", "t", 0.0, 0.0, 0.0, 0.0, "car", 1.0),
        TRAFFIC: traffic("i", "d", "t", "c", 0.0, 0.0, "s", 0.0),
        WEATHER: weather("i", "d", "t", "w", 0.0, 0.0, 0.0, "Clear", 0.0, 0.0, 0.0, 1),
        EMERGENCY: emergency("i", "d", "t", "x", "Fire", 0.0, 0.0, "Active", ""),
    }
    for contract, record in samples.items():
        if set(record) != set(contract.field_names):
            raise ImportError(
                f"simulator.feeds builds {contract.name} with {sorted(record)}, "
                f"but the contract has {sorted(contract.field_names)}"
            )


_check_against_contracts()
