"""The journey picture is valid SVG with one track per vehicle and every marker drawn."""

import xml.etree.ElementTree as ET

from iot_pipeline.serving.journey_map import planned_route
from iot_pipeline.serving.picture import Marker, TrackPoint, journey_map_svg, speed_profile_svg

NS = "{http://www.w3.org/2000/svg}"


def _track():
    return [
        TrackPoint(device, 51.5 + i * 0.01, -0.13 - i * 0.01, 50.0 + i, float(i))
        for device in ("vehicle-a", "vehicle-b")
        for i in range(30)
    ]


def test_map_draws_route_tracks_cameras_and_incidents():
    cams = [Marker("CAM-1", 51.6, -0.3), Marker("CAM-2", 51.8, -0.8)]
    incidents = [Marker("Accident (Active)", 51.7, -0.5)]
    root = ET.fromstring(journey_map_svg(planned_route(), _track(), cams, incidents))
    assert len(root.findall(f"{NS}polyline")) == 1 + 2  # route + one per vehicle
    assert len(root.findall(f"{NS}rect")) == 1 + len(cams)  # background + cameras
    assert len(root.findall(f"{NS}polygon")) == len(incidents)


def test_points_stay_inside_the_drawing():
    svg = journey_map_svg(planned_route(), _track(), [], [], width=400, height=300)
    root = ET.fromstring(svg)
    for line in root.findall(f"{NS}polyline"):
        for pair in line.get("points").split():
            x, y = map(float, pair.split(","))
            assert 0 <= x <= 400 and 0 <= y <= 300


def test_speed_profile_has_one_line_per_vehicle():
    root = ET.fromstring(speed_profile_svg(_track()))
    assert len(root.findall(f"{NS}polyline")) == 2


def test_planned_route_runs_london_to_birmingham():
    route = planned_route()
    assert len(route) > 30
    (lat0, lon0), (lat1, lon1) = route[0], route[-1]
    assert 51.4 < lat0 < 51.6 and lon0 > -0.3  # central London
    assert 52.4 < lat1 < 52.6 and lon1 < -1.8  # Birmingham
