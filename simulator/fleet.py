"""The fleet: vehicles drawn from a catalogue of common UK cars and vans, with ids and departures."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass

# (make, model, first year, last year, fuel type, vehicle type, consumption per 100 km, tank or battery
# capacity, max acceleration m/s^2). Consumption and capacity in litres (kWh for Electric), so
# consumption/capacity gives the share of the tank used per 100 km.
CATALOGUE: tuple[tuple[str, str, int, int, str, str, float, float, float], ...] = (
    ("Ford", "Fiesta", 2017, 2023, "Petrol", "car", 5.6, 42.0, 2.4),
    ("Ford", "Puma", 2020, 2025, "Hybrid", "car", 5.4, 42.0, 2.6),
    ("Vauxhall", "Corsa", 2019, 2025, "Petrol", "car", 5.5, 44.0, 2.4),
    ("Vauxhall", "Corsa Electric", 2020, 2025, "Electric", "car", 16.5, 50.0, 2.9),
    ("Nissan", "Qashqai", 2018, 2025, "Petrol", "car", 6.4, 55.0, 2.3),
    ("Kia", "Sportage", 2019, 2025, "Hybrid", "car", 6.0, 52.0, 2.5),
    ("Tesla", "Model Y", 2021, 2025, "Electric", "car", 17.0, 75.0, 3.0),
    ("Tesla", "Model 3", 2019, 2025, "Electric", "car", 15.0, 60.0, 3.0),
    ("Volkswagen", "Golf", 2016, 2024, "Petrol", "car", 5.9, 50.0, 2.6),
    ("Volkswagen", "Golf", 2015, 2021, "Diesel", "car", 4.8, 50.0, 2.4),
    ("Toyota", "Yaris", 2018, 2025, "Hybrid", "car", 4.2, 36.0, 2.3),
    ("Toyota", "Corolla", 2019, 2025, "Hybrid", "car", 4.6, 43.0, 2.5),
    ("BMW", "3 Series", 2016, 2024, "Diesel", "car", 5.0, 59.0, 2.9),
    ("Audi", "A3", 2017, 2024, "Petrol", "car", 5.8, 50.0, 2.7),
    ("MINI", "Hatch", 2016, 2024, "Petrol", "car", 5.7, 44.0, 2.7),
    ("Hyundai", "Kona Electric", 2019, 2025, "Electric", "car", 15.5, 64.0, 2.8),
    ("MG", "MG4", 2022, 2025, "Electric", "car", 16.0, 64.0, 2.8),
    ("Kia", "Niro EV", 2019, 2025, "Electric", "car", 16.0, 64.0, 2.7),
    ("Land Rover", "Defender", 2020, 2025, "Diesel", "car", 9.0, 89.0, 2.3),
    ("Ford", "Transit Custom", 2016, 2024, "Diesel", "van", 8.3, 70.0, 1.9),
    ("Ford", "Transit", 2015, 2024, "Diesel", "van", 9.8, 80.0, 1.7),
    ("Volkswagen", "Transporter", 2015, 2024, "Diesel", "van", 8.6, 70.0, 1.9),
    ("Mercedes-Benz", "Sprinter", 2016, 2024, "Diesel", "van", 10.2, 71.0, 1.7),
    ("Vauxhall", "Vivaro", 2019, 2025, "Diesel", "van", 7.9, 69.0, 1.9),
    ("Ford", "E-Transit", 2022, 2025, "Electric", "van", 28.0, 68.0, 1.9),
)


@dataclass(frozen=True)
class VehicleSpec:
    """One vehicle of the fleet and its trip; everything derived from the seed."""

    index: int
    device_id: str
    make: str
    model: str
    year: int
    fuel_type: str
    vehicle_type: str
    pct_per_km: float  # fuel or battery share used per km at cruising speed, percent
    max_accel: float  # m/s^2
    northbound: bool  # London -> Birmingham; False is Birmingham -> London
    depart_tick: int  # simulated ticks after the start time
    driver_factor: float  # how this driver sits against the limit (0.93 .. 1.04)
    start_odometer_km: float
    start_fuel_pct: float


def device_id(namespace: uuid.UUID, index: int) -> str:
    """Stable per (seed, index); uuid5 keeps ids deterministic and distinct."""
    return f"vehicle-{uuid.uuid5(namespace, f'vehicle/{index}')}"


def build_fleet(
    count: int, seed: int, namespace: uuid.UUID, departure_window_ticks: int
) -> tuple[VehicleSpec, ...]:
    """`count` vehicles; vehicle 0 leaves London at tick 0, the rest alternate direction and leave
    at seeded times within the departure window."""
    rng = random.Random(f"{seed}/fleet")
    fleet = []
    for i in range(count):
        make, model, y0, y1, fuel, vtype, per100, capacity, accel = rng.choice(CATALOGUE)
        year = rng.randint(y0, y1)
        age = max(0, 2026 - year)
        depart = 0 if i == 0 else rng.randint(0, max(0, departure_window_ticks))
        fleet.append(
            VehicleSpec(
                index=i,
                device_id=device_id(namespace, i),
                make=make,
                model=model,
                year=year,
                fuel_type=fuel,
                vehicle_type=vtype,
                pct_per_km=per100 / capacity,  # (per100 / 100 km) / capacity * 100 %
                max_accel=accel,
                northbound=(i % 2 == 0),
                depart_tick=depart,
                driver_factor=rng.uniform(0.93, 1.04),
                start_odometer_km=round(age * rng.uniform(8000, 16000) + rng.uniform(50, 3000), 1),
                # Full enough for a 200 km trip with margin (an e-van at 0.41 %/km needs ~82 %).
                start_fuel_pct=round(
                    rng.uniform(min(95.0, max(60.0, 200 * per100 / capacity + 8)), 100.0), 1
                ),
            )
        )
    return tuple(fleet)
