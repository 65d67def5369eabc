"""Weather from stations along the route: smooth fields in time and space, coherent conditions.

Each quantity is a fixed climate value plus a few low-frequency sinusoids in (distance along the
route, time) with seeded phases, so neighbouring stations and consecutive readings differ a little,
never jump. The condition is derived from the numbers (never drawn on its own): precipitation only
when cloudy enough, snow only at or below 1 C, fog only when saturated and calm.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

SNOW_MAX_C = 1.0


@dataclass(frozen=True)
class Reading:
    temperature: float
    condition: str
    precipitation: float
    wind_speed: float
    humidity: float
    air_quality_index: int


class _Field:
    """sum_k a_k * sin(2*pi*(s/L_k + t/T_k) + phase_k): smooth in s (metres) and t (seconds)."""

    def __init__(self, rng: random.Random, amplitude: float, terms: int = 3) -> None:
        self.terms = [
            (
                amplitude / (k + 1),
                1.0 / rng.uniform(60_000.0, 250_000.0),  # spatial wavelength 60-250 km
                1.0 / rng.uniform(3 * 3600.0, 18 * 3600.0),  # period 3-18 h
                rng.uniform(0.0, 2 * math.pi),
            )
            for k in range(terms)
        ]

    def __call__(self, s: float, t: float) -> float:
        return sum(
            a * math.sin(2 * math.pi * (s * ks + t * kt) + ph) for a, ks, kt, ph in self.terms
        )


class WeatherModel:
    """Weather at a route distance and epoch time (UTC seconds); deterministic for a seed."""

    def __init__(self, seed: int, base_temp_c: float, route_length_m: float) -> None:
        rng = random.Random(f"{seed}/weather")
        self.base_temp = base_temp_c + rng.uniform(-3.0, 3.0)
        self.length = route_length_m
        self._temp = _Field(rng, 3.0)
        self._cloud = _Field(rng, 0.55)
        self._cloud_bias = rng.uniform(-0.15, 0.35)  # some seeds are wetter than others
        self._wind = _Field(rng, 10.0)
        self._humid = _Field(rng, 12.0)
        self._aqi = _Field(rng, 1.5)

    def at(self, s: float, t_epoch: float) -> Reading:
        hour = (t_epoch % 86400.0) / 3600.0
        diurnal = -3.0 * math.cos(
            2 * math.pi * (hour - 3.0) / 24.0
        )  # coldest ~03:00, warmest ~15:00
        urban = 1.5 * max(
            0.0, 1.0 - min(s, self.length - s) / 20_000.0
        )  # heat island near the ends
        temp = self.base_temp + diurnal + urban + self._temp(s, t_epoch)
        cloud = min(1.0, max(0.0, 0.5 + self._cloud_bias + self._cloud(s, t_epoch)))
        wind = max(0.0, 16.0 + self._wind(s, t_epoch) + 8.0 * cloud)
        humidity = min(
            100.0, max(35.0, 72.0 + 20.0 * cloud + self._humid(s, t_epoch) - 1.2 * diurnal)
        )
        precip = max(0.0, (cloud - 0.72) * 14.0)  # mm/h, only under heavy cloud
        if precip > 0.05:
            condition = "Snow" if temp <= SNOW_MAX_C else "Rain"
        elif humidity >= 97.0 and wind < 12.0:
            condition, precip = "Fog", 0.0
        elif cloud >= 0.35:
            condition, precip = "Cloudy", 0.0
        else:
            condition, precip = "Clear", 0.0
        if condition == "Snow":
            precip *= 0.6  # water equivalent of snowfall is lower
        near_city = max(0.0, 1.0 - min(s, self.length - s) / 25_000.0)
        aqi = 2.0 + 3.0 * near_city + self._aqi(s, t_epoch) - wind / 25.0
        return Reading(
            temperature=round(temp, 1),
            condition=condition,
            precipitation=round(precip, 2),
            wind_speed=round(wind, 1),
            humidity=round(humidity, 1),
            air_quality_index=int(min(10, max(1, round(aqi)))),
        )


def base_temperature_c(month: int) -> float:
    """Typical daily-mean temperature in the English Midlands / south-east, by month."""
    return (4.5, 4.8, 6.8, 9.0, 12.2, 15.2, 17.4, 17.1, 14.6, 11.1, 7.4, 5.0)[month - 1]
