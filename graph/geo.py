"""Where actors are: their points, the distance between two points, and points as WKT.

A located actor has one representative point (longitude, latitude in WGS 84, the GeoSPARQL
default CRS84 order: longitude first).  A region's point comes from a gazetteer by its GB/T 2260
code (``basis = "gazetteer"``); a hospital, university, team or part of a region without a code of
its own takes the point of the unit the data places it in (``basis = "placed-in"``, ``placed_in``
that unit, and ``approximate``).  The graph states them in GeoSPARQL (``geo:hasGeometry`` /
``geo:asWKT``); this module reads and writes the WKT and measures distances, with shapely (geometry)
and geographiclib (geodesics on the WGS 84 ellipsoid) doing the work.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import shapely
from geographiclib.geodesic import Geodesic
from shapely.geometry import Point as _ShapelyPoint

from .config import GEO as GEO  # the namespaces, here beside the functions that use them
from .config import SF as SF

GEOF = "http://www.opengis.net/def/function/geosparql/"
UOM = "http://www.opengis.net/def/uom/OGC/1.0/"
WKT_LITERAL = GEO + "wktLiteral"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
POINT_BASES = ("gazetteer", "placed-in")


@dataclass(frozen=True, slots=True)
class Point:
    """An actor's representative point, where it comes from and how sure it is."""

    longitude: float
    latitude: float
    basis: str  # "gazetteer" or "placed-in"
    placed_in: str | None = None  # the IRI of the unit whose point this is, for a placed-in point
    sources: tuple[str, ...] = ()  # source IRIs
    confidence: str | None = None

    @property
    def approximate(self) -> bool:
        """A placed-in point is the point of a larger unit, so only approximately the actor's."""
        return self.basis != "gazetteer"

    @property
    def wkt(self) -> str:
        return wkt(self.longitude, self.latitude)


def wkt(longitude: float, latitude: float) -> str:
    """A point as WKT, longitude first (CRS84), with the digits the gazetteer gives.

    >>> wkt(87.6168, 43.8256)
    'POINT (87.6168 43.8256)'
    """
    return shapely.to_wkt(_ShapelyPoint(longitude, latitude), trim=True, rounding_precision=6)


def parse_wkt(text: str) -> tuple[float, float]:
    """The (longitude, latitude) of a WKT point, with or without a leading CRS IRI (GeoSPARQL).

    >>> parse_wkt("POINT(116.4 39.9)")
    (116.4, 39.9)
    >>> parse_wkt("<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT (116.4 39.9)")
    (116.4, 39.9)
    >>> parse_wkt("LINESTRING (0 0, 1 1)")
    Traceback (most recent call last):
    ...
    ValueError: not a point: LINESTRING (0 0, 1 1)
    """
    body = text.strip()
    if body.startswith("<"):
        crs, _, body = body[1:].partition(">")
        if crs != CRS84:
            raise ValueError(f"unsupported coordinate reference system <{crs}> (only CRS84)")
    try:
        geometry = shapely.from_wkt(body)
    except shapely.errors.GEOSException as exc:
        raise ValueError(f"not WKT: {exc}") from None
    if not isinstance(geometry, _ShapelyPoint) or geometry.is_empty:
        raise ValueError(f"not a point: {body}")
    return (geometry.x, geometry.y)


def check_point(longitude: float, latitude: float) -> None:
    """Refuse a point outside the ranges of longitude and latitude.

    >>> check_point(200, 0)
    Traceback (most recent call last):
    ...
    ValueError: longitude 200 is outside -180…180
    """
    if not -180 <= longitude <= 180:
        raise ValueError(f"longitude {longitude:g} is outside -180…180")
    if not -90 <= latitude <= 90:
        raise ValueError(f"latitude {latitude:g} is outside -90…90")


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The geodesic distance in kilometres between two (longitude, latitude) points on the WGS 84
    ellipsoid (Karney's algorithm, through geographiclib): the length of the shortest path on the
    Earth's surface, what is usually called the great-circle distance.

    Beijing (Tiananmen, 116.391, 39.907) to Lhasa (Potala, 91.117, 29.657) is about 2,560 km:

    >>> round(distance_km((116.391, 39.907), (91.117, 29.657)))
    2565
    >>> distance_km((87.6, 43.8), (87.6, 43.8))
    0.0
    """
    result = Geodesic.WGS84.Inverse(a[1], a[0], b[1], b[0], Geodesic.DISTANCE)
    return float(result["s12"]) / 1000.0


def centroid(points: Iterable[tuple[float, float]]) -> tuple[float, float] | None:
    """The spherical centroid of (longitude, latitude) points: the mean of their unit vectors,
    projected back onto the sphere.  Unlike the mean of the coordinates it does not depend on where
    the longitudes wrap.  None for no points (or points that cancel out).

    >>> centroid([(80.0, 40.0), (90.0, 40.0)])
    (85.0, 40.1...)
    >>> centroid([(179.0, 0.0), (-179.0, 0.0)])
    (180.0, 0.0)
    >>> centroid([]) is None
    True
    """
    x = y = z = 0.0
    n = 0
    for lon, lat in points:
        la, lo = math.radians(lat), math.radians(lon)
        x += math.cos(la) * math.cos(lo)
        y += math.cos(la) * math.sin(lo)
        z += math.sin(la)
        n += 1
    norm = math.sqrt(x * x + y * y + z * z)
    if not n or norm < 1e-12:
        return None
    lon = math.degrees(math.atan2(y, x))
    lat = math.degrees(math.asin(z / norm))
    return (round(lon, 6) + 0.0, round(lat, 6) + 0.0)


def east_to_west(supporter: tuple[float, float], recipient: tuple[float, float]) -> bool:
    """Whether a flow runs from east to west: the supporter lies east of (at a greater longitude
    than) its recipient.  Within China no pairing crosses the antimeridian, so longitudes compare.

    >>> east_to_west((121.47, 31.23), (75.99, 39.47))  # Shanghai -> Kashgar
    True
    """
    return supporter[0] > recipient[0]
