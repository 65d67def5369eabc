"""Draw the journey as SVG (no plotting library): a map of route, tracks, cameras and incidents,
and a speed profile per vehicle. Pure functions of plain data, so they are easy to test."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")


@dataclass(frozen=True)
class TrackPoint:
    device_id: str
    latitude: float
    longitude: float
    speed_kmh: float
    distance_km: float  # along this vehicle's journey


@dataclass(frozen=True)
class Marker:
    label: str
    latitude: float
    longitude: float


class _Projection:
    """Equirectangular projection of a lat/lon box onto the drawing, north up, aspect kept."""

    def __init__(
        self, lats: Sequence[float], lons: Sequence[float], width: int, height: int, pad: int
    ):
        self.lat0, self.lat1 = min(lats), max(lats)
        self.lon0, self.lon1 = min(lons), max(lons)
        kx = math.cos(math.radians((self.lat0 + self.lat1) / 2))
        span_x = max((self.lon1 - self.lon0) * kx, 1e-9)
        span_y = max(self.lat1 - self.lat0, 1e-9)
        self.scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
        self.kx, self.pad, self.height = kx, pad, height

    def __call__(self, lat: float, lon: float) -> tuple[float, float]:
        x = self.pad + (lon - self.lon0) * self.kx * self.scale
        y = self.height - self.pad - (lat - self.lat0) * self.scale
        return round(x, 1), round(y, 1)


def _polyline(
    points: Iterable[tuple[float, float]], color: str, width: float, opacity: float = 1
) -> str:
    coords = " ".join(f"{x},{y}" for x, y in points)
    return (
        f'<polyline points="{coords}" fill="none" stroke="{color}" '
        f'stroke-width="{width}" stroke-opacity="{opacity}" stroke-linejoin="round"/>'
    )


def _by_device(track: Sequence[TrackPoint]) -> dict[str, list[TrackPoint]]:
    out: dict[str, list[TrackPoint]] = {}
    for p in track:
        out.setdefault(p.device_id, []).append(p)
    return out


def journey_map_svg(
    route: Sequence[tuple[float, float]],
    track: Sequence[TrackPoint],
    cameras: Sequence[Marker],
    incidents: Sequence[Marker],
    width: int = 640,
    height: int = 560,
) -> str:
    """Route (grey), each vehicle's track (colour), cameras (squares), incidents (red triangles)."""
    lats = [p[0] for p in route] + [p.latitude for p in track]
    lons = [p[1] for p in route] + [p.longitude for p in track]
    proj = _Projection(lats, lons, width, height, pad=30)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="#fbfbf8"/>',
        _polyline((proj(*p) for p in route), "#9a9a9a", 6, 0.6),
    ]
    for i, (device, points) in enumerate(sorted(_by_device(track).items())):
        color = PALETTE[i % len(PALETTE)]
        parts.append(_polyline((proj(p.latitude, p.longitude) for p in points), color, 2))
        x, y = proj(points[-1].latitude, points[-1].longitude)
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="4" fill="{color}"><title>{html.escape(device)}</title></circle>'
        )
    for cam in cameras:
        x, y = proj(cam.latitude, cam.longitude)
        parts.append(
            f'<rect x="{x - 3}" y="{y - 3}" width="6" height="6" fill="#333">'
            f"<title>{html.escape(cam.label)}</title></rect>"
        )
    for inc in incidents:
        x, y = proj(inc.latitude, inc.longitude)
        parts.append(
            f'<polygon points="{x},{y - 6} {x - 5},{y + 4} {x + 5},{y + 4}" fill="#d62728">'
            f"<title>{html.escape(inc.label)}</title></polygon>"
        )
    parts.append(
        '<text x="10" y="18" font-size="13">London (south-east) to Birmingham (north-west)</text>'
    )
    parts.append(
        f'<text x="10" y="{height - 10}">grey: route · lines: vehicles · squares: cameras · '
        "triangles: incidents</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def speed_profile_svg(track: Sequence[TrackPoint], width: int = 640, height: int = 260) -> str:
    """Speed (km/h) against distance along the journey (km), one line per vehicle."""
    pad = 40
    max_d = max((p.distance_km for p in track), default=1.0) or 1.0
    max_v = max(max((p.speed_kmh for p in track), default=0.0), 130.0)

    def xy(p: TrackPoint) -> tuple[float, float]:
        x = pad + p.distance_km / max_d * (width - 2 * pad)
        y = height - pad - p.speed_kmh / max_v * (height - 2 * pad)
        return round(x, 1), round(y, 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="#fbfbf8"/>',
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#555"/>',
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" stroke="#555"/>',
    ]
    for v in range(0, int(max_v) + 1, 40):
        y = height - pad - v / max_v * (height - 2 * pad)
        parts.append(f'<text x="5" y="{y + 4:.1f}">{v}</text>')
    for i, (_, points) in enumerate(sorted(_by_device(track).items())):
        ordered = sorted(points, key=lambda p: p.distance_km)
        parts.append(_polyline((xy(p) for p in ordered), PALETTE[i % len(PALETTE)], 1.5))
    parts.append(
        f'<text x="{width / 2 - 80}" y="{height - 8}">distance along the journey (km)</text>'
    )
    parts.append(f'<text x="{pad + 5}" y="{pad - 8}">speed (km/h)</text>')
    parts.append("</svg>")
    return "".join(parts)
