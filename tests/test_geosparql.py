"""GeoSPARQL's ``geof:distance`` in ``/sparql`` (and wherever the embedded engine runs a query): the
geodesic distance of ``graph.geo.distance_km``, in the units of GeoSPARQL 1.1, checked against figures
computed here independently; bad input leaves the value unbound and never fails the query or its worker."""

from __future__ import annotations

import json
import math

import httpx
import pyoxigraph as ox
import pytest
from conftest import iri, table_count, table_rows
from geographiclib.geodesic import Geodesic
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from graph import geosparql, queries
from graph.geo import CRS84, GEO, GEOF, UOM, WKT_LITERAL, distance_km, parse_wkt

PREFIXES = f"""PREFIX geo: <{GEO}>
PREFIX geof: <{GEOF}>
PREFIX uom: <{UOM}>
PREFIX pa: <https://w3id.org/pakg/ontology#>
"""
RESULTS_JSON = "application/sparql-results+json"

# landmarks (longitude, latitude): Tiananmen, the Potala Palace, People's Square, the Id Kah Mosque
BEIJING = (116.391, 39.907)
LHASA = (91.117, 29.657)
SHANGHAI = (121.4737, 31.2304)
KASHGAR = (75.9876, 39.4708)
PAIRS = {"Beijing-Lhasa": (BEIJING, LHASA), "Shanghai-Kashgar": (SHANGHAI, KASHGAR)}


def point(lon_lat: tuple[float, float]) -> str:
    return f'"POINT({lon_lat[0]} {lon_lat[1]})"^^geo:wktLiteral'


def geodesic_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Independently of the code under test: geographiclib's inverse problem on WGS 84, in metres."""
    return Geodesic.WGS84.Inverse(a[1], a[0], b[1], b[0])["s12"]


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """A second, cruder figure: the great circle on a sphere of the mean radius (within 0.5% of the geodesic)."""
    (lon1, lat1), (lon2, lat2) = (tuple(map(math.radians, p)) for p in (a, b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def distance_query(first: str, second: str, unit: str = "uom:kilometre") -> str:
    return PREFIXES + f"SELECT ?d WHERE {{ BIND(geof:distance({first}, {second}, {unit}) AS ?d) }}"


def sparql(client, query: str, method: str = "GET") -> list[dict]:
    headers = {"Accept": RESULTS_JSON}
    if method == "GET":
        response = client.get("/sparql", params={"query": query}, headers=headers)
    else:
        response = client.post("/sparql", data={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def value(bindings: list[dict], name: str = "d") -> float | None:
    assert len(bindings) == 1
    term = bindings[0].get(name)
    if term is None:
        return None
    assert term["datatype"] == "http://www.w3.org/2001/XMLSchema#double"
    return float(term["value"])


# ---- the function itself ------------------------------------------------------------------------


@pytest.mark.parametrize("pair", PAIRS)
def test_the_distance_is_the_wgs84_geodesic(pair):
    a, b = PAIRS[pair]
    wkt = ox.NamedNode(WKT_LITERAL)
    result = geosparql.distance(
        ox.Literal(f"POINT({a[0]} {a[1]})", datatype=wkt),
        ox.Literal(f"<{CRS84}> POINT({b[0]} {b[1]})", datatype=wkt),
        ox.NamedNode(UOM + "metre"),
    )
    assert result is not None and result.datatype.value.endswith("#double")
    assert float(result.value) == pytest.approx(geodesic_m(a, b), abs=1e-3)
    assert float(result.value) / 1000 == pytest.approx(haversine_km(a, b), rel=0.005)


@pytest.mark.parametrize("pair", PAIRS)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparql_answers_known_distances(client, pair, method):
    a, b = PAIRS[pair]
    km = value(sparql(client, distance_query(point(a), point(b)), method))
    assert km == pytest.approx(geodesic_m(a, b) / 1000, abs=1e-6)
    assert km == pytest.approx(haversine_km(a, b), rel=0.005)
    # the same distance whichever way it is measured
    assert value(sparql(client, distance_query(point(b), point(a)), method)) == pytest.approx(km, abs=1e-6)


MEAN_RADIUS_M = Geodesic.WGS84.a * (1 - Geodesic.WGS84.f / 3)  # (2a + b) / 3


@pytest.mark.parametrize(
    "unit,from_metres",
    [
        ("uom:metre", lambda m: m),
        ("uom:meter", lambda m: m),
        ("uom:kilometre", lambda m: m / 1000),
        ("uom:kilometer", lambda m: m / 1000),
        ("uom:radian", lambda m: m / MEAN_RADIUS_M),
        ("uom:degree", lambda m: math.degrees(m / MEAN_RADIUS_M)),
        (f'"{UOM}kilometre"^^<http://www.w3.org/2001/XMLSchema#anyURI>', lambda m: m / 1000),
    ],
)
def test_every_unit_of_geosparql(client, unit, from_metres):
    got = value(sparql(client, distance_query(point(SHANGHAI), point(KASHGAR), unit)))
    assert got == pytest.approx(from_metres(geodesic_m(SHANGHAI, KASHGAR)), rel=1e-9)


def test_an_angle_is_close_to_the_great_circle_angle(client):
    degrees = value(sparql(client, distance_query(point(BEIJING), point(LHASA), "uom:degree")))
    assert degrees == pytest.approx(math.degrees(haversine_km(BEIJING, LHASA) / 6371.0088), rel=0.005)


BAD = {
    "a plain string": ('"POINT(116.391 39.907)"', point(LHASA), "uom:metre"),
    "not WKT": ('"somewhere in Beijing"^^geo:wktLiteral', point(LHASA), "uom:metre"),
    "a linestring": ('"LINESTRING(116 39, 117 40)"^^geo:wktLiteral', point(LHASA), "uom:metre"),
    "a polygon": ('"POLYGON((0 0, 1 0, 1 1, 0 0))"^^geo:wktLiteral', point(LHASA), "uom:metre"),
    "an empty point": ('"POINT EMPTY"^^geo:wktLiteral', point(LHASA), "uom:metre"),
    "a latitude out of range": ('"POINT(39.9 116.4)"^^geo:wktLiteral', point(LHASA), "uom:metre"),
    "another CRS": (
        '"<http://www.opengis.net/def/crs/EPSG/0/4326> POINT(39.9 116.4)"^^geo:wktLiteral',
        point(LHASA),
        "uom:metre",
    ),
    "an unknown unit": (point(BEIJING), point(LHASA), "uom:furlong"),
    "a unit as a string": (point(BEIJING), point(LHASA), '"metre"'),
    "a number": ("42", point(LHASA), "uom:metre"),
    "an IRI as a geometry": ("<https://w3id.org/pakg/id/actor/x>", point(LHASA), "uom:metre"),
}


@pytest.mark.parametrize("case", BAD)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_bad_input_leaves_the_distance_unbound(client, case, method):
    first, second, unit = BAD[case]
    assert value(sparql(client, distance_query(first, second, unit), method)) is None
    assert value(sparql(client, distance_query(second, first, unit), method)) is None


@pytest.mark.parametrize(
    "arguments",
    [
        f"{point(BEIJING)}, {point(LHASA)}",  # GeoSPARQL 1.1 asks for the unit
        f"{point(BEIJING)}, {point(LHASA)}, uom:metre, uom:metre",
        "",
    ],
)
def test_the_wrong_number_of_arguments_leaves_it_unbound(client, arguments):
    query = PREFIXES + f"SELECT ?d WHERE {{ BIND(geof:distance({arguments}) AS ?d) }}"
    assert value(sparql(client, query)) is None


def test_an_error_in_one_row_leaves_the_others_and_the_worker_answers_on(client):
    query = PREFIXES + (
        "SELECT ?p ?d WHERE { VALUES (?p ?g) { "
        f'(1 {point(LHASA)}) (2 "LINESTRING(0 0, 1 1)"^^geo:wktLiteral) (3 "x"^^geo:wktLiteral) (4 {point(KASHGAR)})'
        f" }} BIND(geof:distance({point(BEIJING)}, ?g, uom:kilometre) AS ?d) }} ORDER BY ?p"
    )
    rows = sparql(client, query)
    assert [("d" in row) for row in rows] == [True, False, False, True]
    assert float(rows[3]["d"]["value"]) == pytest.approx(geodesic_m(BEIJING, KASHGAR) / 1000, abs=1e-6)
    assert value(sparql(client, distance_query(point(BEIJING), point(LHASA)))) is not None


@pytest.mark.parametrize("junk", [None, 3, "POINT(1 2)", ox.Literal("POINT(1 2)"), ox.BlankNode()])
def test_the_function_returns_none_for_anything_odd(junk):
    assert geosparql.distance(junk, junk, ox.NamedNode(UOM + "metre")) is None
    assert geosparql.distance(junk) is None


# ---- the guard and the engine's other functions --------------------------------------------------


def test_the_guard_lets_extension_functions_through_and_unknown_ones_fail_as_before(client):
    # a GeoSPARQL relation the engine evaluates itself still answers
    contains = PREFIXES + (
        'SELECT ?d WHERE { BIND(geof:sfContains("POLYGON((0 0, 2 0, 2 2, 0 2, 0 0))"^^geo:wktLiteral, '
        '"POINT(1 1)"^^geo:wktLiteral) AS ?d) }'
    )
    response = client.get("/sparql", params={"query": contains}, headers={"Accept": RESULTS_JSON})
    assert response.status_code == 200 and response.json()["results"]["bindings"][0]["d"]["value"] == "true"
    for unknown in ("<http://example.org/f>(1)", "geof:noSuchFunction(1)"):
        query = PREFIXES + f"SELECT ?d WHERE {{ BIND({unknown} AS ?d) }}"
        for response in (
            client.get("/sparql", params={"query": query}, headers={"Accept": RESULTS_JSON}),
            client.post("/sparql", data={"query": query}, headers={"Accept": RESULTS_JSON}),
        ):
            assert response.status_code == 400, response.text
            assert response.json()["detail"] == "the query failed while running"
    # an undeclared prefix is the guard's syntax error, with its place
    response = client.get("/sparql", params={"query": "SELECT ?d WHERE { BIND(geof:distance(1, 2, 3) AS ?d) }"})
    assert response.status_code == 400 and "geof:" in response.json()["detail"]


def test_a_remote_store_gets_no_functions_of_ours():
    from graph.remote import RemoteStore

    assert geosparql.query_options(RemoteStore("http://127.0.0.1:9/sparql")) == {}
    assert geosparql.query_options(ox.Store()) == {"custom_functions": geosparql.FUNCTIONS}


# ---- joining actors' geometries -----------------------------------------------------------------

JOIN = (
    PREFIXES
    + """
SELECT ?pairing ?from ?to ?km WHERE {
  ?pairing pa:supporter/geo:hasGeometry/geo:asWKT ?from ;
           pa:recipient/geo:hasGeometry/geo:asWKT ?to .
  BIND(geof:distance(?from, ?to, uom:kilometre) AS ?km)
}
"""
)


def synthetic_store() -> ox.Store:
    """Two pairings between three actors with points and one without, stated as the graph states them."""
    pa, base = "https://w3id.org/pakg/ontology#", "https://example.org/"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    store = ox.Store()
    for name, lon_lat in {"beijing": BEIJING, "lhasa": LHASA, "shanghai": SHANGHAI}.items():
        actor, geometry = ox.NamedNode(base + name), ox.NamedNode(base + "geometry/" + name)
        store.add(ox.Quad(actor, rdf_type, ox.NamedNode(GEO + "Feature")))
        store.add(ox.Quad(actor, ox.NamedNode(GEO + "hasGeometry"), geometry))
        wkt = ox.Literal(f"POINT ({lon_lat[0]} {lon_lat[1]})", datatype=ox.NamedNode(WKT_LITERAL))
        store.add(ox.Quad(geometry, ox.NamedNode(GEO + "asWKT"), wkt))
    for pairing, supporter, recipient in (
        ("p1", "beijing", "lhasa"),
        ("p2", "shanghai", "lhasa"),
        ("p3", "x", "lhasa"),
    ):
        store.add(ox.Quad(ox.NamedNode(base + pairing), ox.NamedNode(pa + "supporter"), ox.NamedNode(base + supporter)))
        store.add(ox.Quad(ox.NamedNode(base + pairing), ox.NamedNode(pa + "recipient"), ox.NamedNode(base + recipient)))
    return store


def test_the_workers_query_path_joins_geometries_on_a_synthetic_graph():
    import orjson

    from api.guard import analyse
    from api.negotiation import negotiate
    from graph.sparql import execute

    answer = execute(synthetic_store(), analyse(JOIN, set()), negotiate("SELECT", None, "json"), 100)
    rows = {
        row["pairing"]["value"].rsplit("/", 1)[1]: float(row["km"]["value"])
        for row in orjson.loads(answer.body)["results"]["bindings"]
    }
    assert rows == pytest.approx({"p1": geodesic_m(BEIJING, LHASA) / 1000, "p2": geodesic_m(SHANGHAI, LHASA) / 1000})


def located_pairings(rows: list[dict]) -> dict[str, float]:
    out = {}
    for row in rows:
        expected = distance_km(parse_wkt(row["from"]["value"]), parse_wkt(row["to"]["value"]))
        assert float(row["km"]["value"]) == pytest.approx(expected, abs=1e-6), row
        out[row["pairing"]["value"]] = expected
    return out


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparql_joins_the_actors_geometries(client, method):
    located = located_pairings(sparql(client, JOIN, method))
    assert located, "no pairing with both ends located: the graph has no geo:hasGeometry points"
    assert all(0 < km < 5500 for km in located.values())  # within China


def test_the_join_measures_every_pairing_whose_ends_have_points_in_the_data(client):
    points = {row["actor"]: parse_wkt(row["wkt"]) for row in table_rows("points")}
    expected = {
        iri("pairing", row["id"]): distance_km(points[row["supporter"]], points[row["recipient"]])
        for row in table_rows("pairings")
        if row["supporter"] in points and row["recipient"] in points
    }
    assert expected and located_pairings(sparql(client, JOIN)) == pytest.approx(expected, abs=1e-6)


def test_the_embedded_engine_answers_the_same_for_the_cli_and_the_named_queries(client, engine):
    over_http = located_pairings(sparql(client, JOIN))
    rows = engine.select(JOIN)
    assert {row["pairing"].value: float(row["km"].value) for row in rows} == pytest.approx(over_http, abs=1e-9)


def test_pakg_query_measures_the_same(capsys):
    import pakg.cli

    assert pakg.cli.main(["query", "--format", "json", distance_query(point(BEIJING), point(LHASA))]) in (0, None)
    (row,) = json.loads(capsys.readouterr().out)  # one row, its values as plain JSON
    assert row["d"] == pytest.approx(geodesic_m(BEIJING, LHASA) / 1000, abs=1e-6)


def test_the_example_query_gives_every_pairing_and_its_distance(client):
    example = next(e for e in queries.examples() if "geof:distance" in e.text)
    assert example.title_en and example.title_zh
    rows = sparql(client, example.text)
    assert len({row["pairing"]["value"] for row in rows}) == len(rows) == table_count("pairings")
    located = located_pairings(sparql(client, JOIN))
    measured = {row["pairing"]["value"]: float(row["km"]["value"]) for row in rows if "km" in row}
    assert measured.keys() == located.keys()
    assert measured == pytest.approx({p: round(km, 1) for p, km in located.items()}, abs=1e-9)
    kms = [float(row["km"]["value"]) for row in rows if "km" in row]
    assert kms == sorted(kms, reverse=True) and all("km" in row for row in rows[: len(kms)])


def test_sparqlwrapper_reads_a_distance(server):
    for method in ("GET", POST):
        wrapper = SPARQLWrapper(server + "/sparql")
        wrapper.setQuery(distance_query(point(SHANGHAI), point(KASHGAR)))
        wrapper.setReturnFormat(JSON)
        if method == POST:
            wrapper.setMethod(POST)
        result = wrapper.query().convert()
        km = float(result["results"]["bindings"][0]["d"]["value"])
        assert km == pytest.approx(geodesic_m(SHANGHAI, KASHGAR) / 1000, abs=1e-6)
    # and the live server answers a query with bad input, unbound, with 200
    response = httpx.get(
        server + "/sparql",
        params={"query": distance_query(point(BEIJING), '"x"^^geo:wktLiteral')},
        headers={"Accept": RESULTS_JSON},
    )
    assert response.status_code == 200 and response.json()["results"]["bindings"] == [{}]
