"""The London -> Birmingham road route as public waypoints (WGS84), with the speed limit per segment.

Source: junction and place positions transcribed by hand (rounded to ~50-100 m) from OpenStreetMap
(openstreetmap.org, (c) OpenStreetMap contributors, ODbL) and the junction list of the Wikipedia
article "M40 motorway". Route: Charing Cross -> Marble Arch -> A40 Westway -> Western Avenue -> Hanger Lane ->
A40 -> M40 J1 Denham ... J15 Warwick -> J16 -> M42 J3a -> J4 -> A34 Stratford Road -> Birmingham Victoria Square.
Intermediate points follow the carriageway between junctions so the polyline is ~180 km long; a polyline
through dozens of points cuts the curves, so the real driving distance is some 5% longer.

Each entry is (name, latitude, longitude, speed limit in km/h of the segment that starts here).
The limit of the last point is unused. UK limits: 20 mph = 32 km/h, 30 mph = 48 km/h, 40 = 64, 50 = 80, 70 = 113.
"""

from __future__ import annotations

MPH = 1.609344

WAYPOINTS: tuple[tuple[str, float, float, float], ...] = (
    # Central London: from Charing Cross (the point UK road distances from London are measured
    # from) by Piccadilly and Park Lane to Marble Arch, Edgware Road, onto the A40 Westway.
    ("Charing Cross (Trafalgar Square)", 51.50740, -0.12780, 20 * MPH),
    ("Pall Mall / Haymarket", 51.50810, -0.13240, 20 * MPH),
    ("Piccadilly Circus", 51.50990, -0.13440, 30 * MPH),
    ("Piccadilly, Green Park", 51.50650, -0.14300, 30 * MPH),
    ("Hyde Park Corner", 51.50270, -0.15210, 30 * MPH),
    ("Park Lane", 51.50800, -0.15450, 30 * MPH),
    ("Marble Arch", 51.51310, -0.15890, 30 * MPH),
    ("Edgware Road / Harrow Road", 51.51990, -0.16950, 30 * MPH),
    ("A40 Westway, Paddington Green", 51.52050, -0.17650, 40 * MPH),
    ("A40 Westway, Royal Oak", 51.52010, -0.18950, 40 * MPH),
    ("A40 Westway, Westbourne Park", 51.52030, -0.20150, 40 * MPH),
    ("A40 Westway, Ladbroke Grove", 51.51930, -0.21250, 40 * MPH),
    ("A40 Westway, White City (Wood Lane)", 51.51640, -0.22420, 40 * MPH),
    ("A40 Western Avenue, East Acton", 51.51660, -0.24700, 40 * MPH),
    ("A40 Gypsy Corner", 51.51930, -0.26250, 40 * MPH),
    ("A40 Western Avenue, Park Royal", 51.52470, -0.28100, 40 * MPH),
    ("Hanger Lane gyratory", 51.53010, -0.29290, 40 * MPH),
    ("A40 Western Avenue, Perivale", 51.53620, -0.31820, 50 * MPH),
    ("A40 Greenford", 51.54030, -0.34150, 50 * MPH),
    ("A40 Northolt", 51.54690, -0.36410, 50 * MPH),
    ("A40 Target Roundabout", 51.54880, -0.38370, 50 * MPH),
    ("A40 Ruislip Gardens", 51.55250, -0.41320, 50 * MPH),
    ("A40 Hillingdon Circus", 51.55650, -0.43420, 50 * MPH),
    ("A40 Swakeleys Roundabout", 51.55830, -0.45900, 70 * MPH),
    ("A40 Uxbridge (Denham Road)", 51.56550, -0.48150, 70 * MPH),
    # M40 from junction 1.
    ("M40 J1 Denham", 51.57350, -0.49620, 70 * MPH),
    ("M40 J1A (M25 J16)", 51.58600, -0.51380, 70 * MPH),
    ("M40 Gerrards Cross", 51.59560, -0.55700, 70 * MPH),
    ("M40 Beaconsfield east", 51.60180, -0.60200, 70 * MPH),
    ("M40 J2 Beaconsfield", 51.60260, -0.62550, 70 * MPH),
    ("M40 Wooburn", 51.60700, -0.66350, 70 * MPH),
    ("M40 J3 Loudwater", 51.61020, -0.69150, 70 * MPH),
    ("M40 Wycombe Marsh", 51.61540, -0.72400, 70 * MPH),
    ("M40 J4 High Wycombe (Handy Cross)", 51.61890, -0.75430, 70 * MPH),
    ("M40 Lane End", 51.63160, -0.80300, 70 * MPH),
    ("M40 Cadmore End", 51.63350, -0.83100, 70 * MPH),
    ("M40 Piddington", 51.64480, -0.85350, 70 * MPH),
    ("M40 J5 Stokenchurch", 51.66100, -0.90900, 70 * MPH),
    ("M40 Stokenchurch Gap", 51.67300, -0.94000, 70 * MPH),
    ("M40 J6 Lewknor", 51.68700, -0.97200, 70 * MPH),
    ("M40 Tetsworth", 51.70300, -1.00700, 70 * MPH),
    ("M40 J7 Milton Common", 51.71700, -1.03900, 70 * MPH),
    ("M40 Waterstock", 51.73100, -1.07000, 70 * MPH),
    ("M40 J8 Wheatley", 51.74100, -1.09000, 70 * MPH),
    ("M40 J8A Oxford services", 51.75200, -1.10700, 70 * MPH),
    ("M40 Forest Hill", 51.76900, -1.12300, 70 * MPH),
    ("M40 Stanton St John", 51.78500, -1.11100, 70 * MPH),
    ("M40 Studley Wood (east of Otmoor)", 51.80600, -1.10600, 70 * MPH),
    ("M40 Boarstall", 51.82400, -1.11400, 70 * MPH),
    ("M40 Arncott", 51.84300, -1.13900, 70 * MPH),
    ("M40 Wendlebury", 51.85800, -1.17000, 70 * MPH),
    ("M40 J9 Bicester (Wendlebury)", 51.86900, -1.19900, 70 * MPH),
    ("M40 Chesterton", 51.89000, -1.20100, 70 * MPH),
    ("M40 Middleton Stoney", 51.91500, -1.21100, 70 * MPH),
    ("M40 J10 Ardley", 51.94100, -1.22600, 70 * MPH),
    ("M40 Souldern", 51.97300, -1.24600, 70 * MPH),
    ("M40 Aynho", 51.99800, -1.26600, 70 * MPH),
    ("M40 Kings Sutton", 52.02600, -1.28900, 70 * MPH),
    ("M40 Grimsbury", 52.04600, -1.30200, 70 * MPH),
    ("M40 J11 Banbury", 52.06300, -1.31800, 70 * MPH),
    ("M40 Hardwick", 52.08300, -1.34000, 70 * MPH),
    ("M40 Cherwell valley", 52.10600, -1.37300, 70 * MPH),
    ("M40 Farnborough", 52.13200, -1.41100, 70 * MPH),
    ("M40 Fenny Compton", 52.15600, -1.44300, 70 * MPH),
    ("M40 J12 Gaydon", 52.18300, -1.47200, 70 * MPH),
    ("M40 Warwick services", 52.19300, -1.49600, 70 * MPH),
    ("M40 Bishop's Itchington", 52.20600, -1.50200, 70 * MPH),
    ("M40 J13 Ashorne", 52.23100, -1.52900, 70 * MPH),
    ("M40 J14 Barford", 52.25250, -1.56650, 70 * MPH),
    ("M40 J15 Longbridge (Warwick)", 52.26800, -1.59600, 70 * MPH),
    ("M40 Budbrooke", 52.27900, -1.62300, 70 * MPH),
    ("M40 Hatton", 52.29100, -1.64400, 70 * MPH),
    ("M40 Shrewley", 52.30800, -1.68700, 70 * MPH),
    ("M40 Lapworth", 52.32600, -1.73000, 70 * MPH),
    ("M40 J16 Hockley Heath", 52.33800, -1.76300, 70 * MPH),
    ("M40 Dickens Heath", 52.35400, -1.79200, 70 * MPH),
    # M42 west then north to junction 4, then the A34 Stratford Road into the city centre.
    ("M42 J3A link road", 52.36000, -1.81100, 50 * MPH),
    ("M42 J3A", 52.36600, -1.80800, 70 * MPH),
    ("M42 Tidbury Green", 52.37500, -1.79600, 70 * MPH),
    ("M42 J4 Shirley (A34)", 52.38600, -1.78800, 40 * MPH),
    ("A34 Monkspath", 52.39300, -1.79600, 40 * MPH),
    ("A34 Shirley", 52.40500, -1.81500, 40 * MPH),
    ("A34 Robin Hood island", 52.41600, -1.82500, 40 * MPH),
    ("A34 Hall Green", 52.42900, -1.83900, 30 * MPH),
    ("A34 Sparkhill (Fox Hollies Road)", 52.44000, -1.84900, 30 * MPH),
    ("A34 Sparkhill", 52.45200, -1.85900, 30 * MPH),
    ("A34 Sparkbrook", 52.46100, -1.86800, 30 * MPH),
    ("A34 Camp Hill", 52.47000, -1.88100, 30 * MPH),
    ("A34 Digbeth", 52.47450, -1.88700, 30 * MPH),
    ("Birmingham, Moor Street", 52.47800, -1.89250, 30 * MPH),
    # New Street is pedestrianised: cars reach Victoria Square by Bull Street and Colmore Row.
    ("Birmingham, Bull Street", 52.48120, -1.89500, 20 * MPH),
    ("Birmingham, Colmore Row", 52.48180, -1.89930, 20 * MPH),
    ("Birmingham, Victoria Square", 52.47970, -1.90300, 20 * MPH),
)

# Places the fleet's traffic cameras stand at: (route waypoint name, camera id). Fixed infrastructure,
# the same for every seed.
CAMERA_SITES: tuple[tuple[str, str], ...] = (
    ("A40 Westway, Royal Oak", "CAM-A40-WESTWAY"),
    ("A40 Gypsy Corner", "CAM-A40-GYPSY-CORNER"),
    ("Hanger Lane gyratory", "CAM-A40-HANGER-LANE"),
    ("A40 Target Roundabout", "CAM-A40-TARGET"),
    ("A40 Swakeleys Roundabout", "CAM-A40-SWAKELEYS"),
    ("M40 J1A (M25 J16)", "CAM-M40-J1A"),
    ("M40 J2 Beaconsfield", "CAM-M40-J2"),
    ("M40 J4 High Wycombe (Handy Cross)", "CAM-M40-J4"),
    ("M40 Stokenchurch Gap", "CAM-M40-J5-STOKENCHURCH"),
    ("M40 J7 Milton Common", "CAM-M40-J7"),
    ("M40 J8A Oxford services", "CAM-M40-J8A"),
    ("M40 J9 Bicester (Wendlebury)", "CAM-M40-J9"),
    ("M40 J10 Ardley", "CAM-M40-J10"),
    ("M40 J11 Banbury", "CAM-M40-J11"),
    ("M40 J12 Gaydon", "CAM-M40-J12"),
    ("M40 J14 Barford", "CAM-M40-J14"),
    ("M40 J15 Longbridge (Warwick)", "CAM-M40-J15"),
    ("M40 J16 Hockley Heath", "CAM-M40-J16"),
    ("M42 J4 Shirley (A34)", "CAM-M42-J4"),
    ("A34 Hall Green", "CAM-A34-HALL-GREEN"),
    ("A34 Camp Hill", "CAM-A34-CAMP-HILL"),
)

# Weather stations near the route: (id, name, latitude, longitude). Met Office-like site names.
WEATHER_STATIONS: tuple[tuple[str, str, float, float], ...] = (
    ("WS-LONDON-ST-JAMES", "London St James's Park", 51.5040, -0.1290),
    ("WS-NORTHOLT", "Northolt", 51.5480, -0.4170),
    ("WS-HIGH-WYCOMBE", "High Wycombe", 51.6290, -0.7480),
    ("WS-STOKENCHURCH", "Stokenchurch", 51.6640, -0.9250),
    ("WS-OXFORD", "Oxford", 51.7610, -1.2630),
    ("WS-BICESTER", "Bicester", 51.8990, -1.1530),
    ("WS-BANBURY", "Banbury", 52.0630, -1.3420),
    ("WS-GAYDON", "Gaydon", 52.1890, -1.4830),
    ("WS-WARWICK", "Warwick", 52.2820, -1.5850),
    ("WS-SOLIHULL", "Solihull", 52.4120, -1.7780),
    ("WS-BIRMINGHAM-EDGBASTON", "Birmingham Edgbaston", 52.4560, -1.9320),
)
