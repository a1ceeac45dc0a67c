"""GeoSPARQL functions for the embedded engine: ``geof:distance`` measured as the rest of pakg measures.

The embedded engine (pyoxigraph 0.5) evaluates some GeoSPARQL functions itself (the simple-features
relations such as ``geof:sfContains``), but its ``geof:distance`` measures on a sphere and knows metres
and kilometres only, so its figures differ from the project's by a few kilometres.  ``FUNCTIONS``
replaces it, and ``query_options`` hands it to every query the embedded engine runs (the ``/sparql``
workers through ``graph.sparql.execute``, the named queries and ``pakg query`` through
``graph.store.Engine``), so a SPARQL user, the analyses and the exports give the same distance:
``graph.geo.distance_km``, the geodesic on the WGS 84 ellipsoid.

``geof:distance(geom1, geom2, units)`` (GeoSPARQL 1.1, §9.6.4) takes two ``geo:wktLiteral`` points
(CRS84, longitude first, with or without the leading CRS84 IRI) and a unit of the OGC register:
``uom:metre`` (or ``uom:meter``), ``uom:kilometre`` (or ``uom:kilometer``), ``uom:radian`` or
``uom:degree``.  An angle is the distance over the WGS 84 mean radius (R1 = (2a + b) / 3, IUGG).
Anything else — a geometry that is not a point, a literal that is not WKT, a point out of range,
another CRS, an unknown unit, the wrong number of arguments — gives no value (the variable stays
unbound, as SPARQL treats an expression error), never an exception in the worker.

A remote store (``pakg serve --endpoint``) runs queries on its own engine, which decides what
``geof:distance`` means there: nothing here is sent to it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox
from geographiclib.geodesic import Geodesic

from .geo import GEOF, UOM, WKT_LITERAL, check_point, distance_km, parse_wkt

XSD_DOUBLE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#double")
XSD_ANY_URI = "http://www.w3.org/2001/XMLSchema#anyURI"
MEAN_RADIUS_KM = Geodesic.WGS84.a * (3 - Geodesic.WGS84.f) / 3 / 1000  # (2a + b) / 3, b = a (1 - f)

UNITS: dict[str, Callable[[float], float]] = {
    UOM + "metre": lambda km: km * 1000,
    UOM + "meter": lambda km: km * 1000,
    UOM + "kilometre": lambda km: km,
    UOM + "kilometer": lambda km: km,
    UOM + "radian": lambda km: km / MEAN_RADIUS_KM,
    UOM + "degree": lambda km: math.degrees(km / MEAN_RADIUS_KM),
}
"""The units ``geof:distance`` answers in: each unit's IRI → kilometres to that unit."""


def point_of(term: object) -> tuple[float, float] | None:
    """The (longitude, latitude) of a ``geo:wktLiteral`` point, or None for anything else.

    >>> point_of(ox.Literal("POINT(91.117 29.657)", datatype=ox.NamedNode(WKT_LITERAL)))
    (91.117, 29.657)
    >>> point_of(ox.Literal("LINESTRING (0 0, 1 1)", datatype=ox.NamedNode(WKT_LITERAL))) is None
    True
    >>> point_of(ox.Literal("POINT(91.117 29.657)")) is None  # a plain string is not a geometry
    True
    """
    if not isinstance(term, ox.Literal) or term.datatype.value != WKT_LITERAL:
        return None
    try:
        lon, lat = parse_wkt(term.value)
        check_point(lon, lat)
    except ValueError:  # not WKT, not a point, another CRS, out of range (NaN included)
        return None
    return (lon, lat)


def unit_of(term: object) -> Callable[[float], float] | None:
    """The conversion from kilometres to the unit an IRI (or an ``xsd:anyURI`` literal) names."""
    if isinstance(term, ox.NamedNode) or (isinstance(term, ox.Literal) and term.datatype.value == XSD_ANY_URI):
        return UNITS.get(term.value)
    return None


def distance(*terms: object) -> ox.Literal | None:
    """``geof:distance(geom1, geom2, units)``: the geodesic distance between two points in ``units``,
    an ``xsd:double``; None (unbound) for anything but two points and a known unit.

    >>> wkt = ox.NamedNode(WKT_LITERAL)
    >>> beijing = ox.Literal("POINT(116.391 39.907)", datatype=wkt)
    >>> lhasa = ox.Literal("<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT(91.117 29.657)", datatype=wkt)
    >>> round(float(distance(beijing, lhasa, ox.NamedNode(UOM + "kilometre")).value))
    2565
    >>> distance(beijing, lhasa, ox.NamedNode(UOM + "furlong")) is None
    True
    >>> distance(beijing, lhasa) is None
    True
    """
    if len(terms) != 3:
        return None
    first, second, convert = point_of(terms[0]), point_of(terms[1]), unit_of(terms[2])
    if first is None or second is None or convert is None:
        return None
    return ox.Literal(repr(convert(distance_km(first, second))), datatype=XSD_DOUBLE)


FUNCTIONS: dict[ox.NamedNode, Callable[..., ox.Literal | None]] = {
    ox.NamedNode(GEOF + "distance"): distance,
}
"""The extension functions of the embedded engine, by IRI (pyoxigraph ``custom_functions``)."""


def query_options(store: object) -> dict[str, Any]:
    """The keyword arguments that give a query run on ``store`` these functions: for the embedded
    engine (a pyoxigraph ``Store``), ``custom_functions``; for a remote store none (its engine decides)."""
    return {"custom_functions": FUNCTIONS} if isinstance(store, ox.Store) else {}
