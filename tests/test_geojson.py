"""GeoJSON networks and coordinates in every network format (issue 17, part B).

A small read model with made-up test points (not data: the test's own) checks the writer itself; the curated
data, through the service and the command, checks what a user gets: a valid RFC 7946 FeatureCollection that
GeoPandas and Shapely re-read, the same edges as node-link JSON for the same filters, nothing dropped (a node or
edge without a point has a null geometry and is counted), the licence, the CLI's bytes equal to the API's, and
the coordinates and distances in GraphML, GEXF, CSV and node-link JSON.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import geojson
import geopandas
import networkx as nx
import pytest
import shapely.geometry
from test_network import tiny_model

from graph import formats, geo, network
from graph.formats import Use
from graph.readmodel import SourceInfo

# ---- the writer, on a small read model with the test's own points --------------------------------------

# made-up points for the test's actors (roughly where the places are; never data)
TEST_POINTS = {
    "shanghai": (121.47, 31.23, "gazetteer", None),
    "kashgar": (75.99, 39.47, "gazetteer", None),
    "bachu": (78.55, 39.79, "gazetteer", None),
    "aksu-city": (75.99, 39.47, "placed-in", "kashgar"),
}
GAZETTEER = "S-gaz"


@pytest.fixture(scope="module")
def located():
    """The tiny read model of tests/test_network.py with the test's points, cited to a test gazetteer."""
    model = tiny_model()
    base = model.base
    gazetteer = f"{base}source/{GAZETTEER}"
    model.sources[gazetteer] = SourceInfo(gazetteer, GAZETTEER, "test gazetteer 1.0", "secondary", *[None] * 4)
    model.points = {
        f"{base}actor/{ident}": geo.Point(lon, lat, basis, f"{base}actor/{inside}" if inside else None, (gazetteer,))
        for ident, (lon, lat, basis, inside) in TEST_POINTS.items()
    }
    return model


def features(body: bytes, kind: str) -> list[dict]:
    return [f for f in json.loads(body)["features"] if f["properties"]["feature"] == kind]


def check_rfc7946(body: bytes) -> dict:
    """A FeatureCollection that the geojson library finds valid, with points longitude first and in range,
    nodes before edges; parsed."""
    parsed = geojson.loads(body.decode())
    assert parsed.is_valid, parsed.errors()
    data = json.loads(body)
    assert data["type"] == "FeatureCollection"
    kinds = [f["properties"]["feature"] for f in data["features"]]
    assert kinds == sorted(kinds, key=("node", "edge").index), "nodes first, then edges"
    for f in data["features"]:
        assert f["type"] == "Feature" and isinstance(f["id"], str)
        g = f["geometry"]
        if g is None:
            continue
        positions = [g["coordinates"]] if g["type"] == "Point" else g["coordinates"]
        assert g["type"] == ("Point" if f["properties"]["feature"] == "node" else "LineString")
        for lon, lat in positions:
            assert -180 <= lon <= 180 and -90 <= lat <= 90, f["id"]
    return data


def test_geojson_of_a_small_model_places_nodes_and_draws_edges(located):
    graph = network.project(located, "support")
    body = network.serialize(graph, "geojson")
    data = check_rfc7946(body)
    nodes = {f["id"]: f for f in features(body, "node")}
    edges = {f["id"]: f for f in features(body, "edge")}
    assert len(nodes) == graph.number_of_nodes() and len(edges) == graph.number_of_edges()  # nothing dropped
    for ident, (lon, lat, basis, inside) in TEST_POINTS.items():
        if ident not in nodes:
            continue
        props = nodes[ident]["properties"]
        assert nodes[ident]["geometry"]["coordinates"] == [lon, lat]  # longitude first
        assert props["point_basis"] == basis and props["point_placed_in"] == (inside or "")
        assert props["point_approximate"] is (basis == "placed-in")
        assert "longitude" not in props and "latitude" not in props  # the geometry says them
    unlocated = [i for i, f in nodes.items() if f["geometry"] is None]
    assert unlocated and all(i not in TEST_POINTS for i in unlocated)
    pakg = data["pakg"]
    assert pakg["unlocated"]["nodes"] == len(unlocated)
    reasons = {item["id"]: item["reason"] for item in pakg["unlocated"]["items"]}
    assert reasons == {i: located.unlocated(nodes[i]["properties"]["iri"]) for i in unlocated}
    assert all(reasons.values())
    assert pakg["points_source"] == {"id": GAZETTEER, "title": "test gazetteer 1.0"}
    assert pakg["crs"].startswith("WGS 84") and pakg["view"] == "support"
    blind = [f for f in edges.values() if f["geometry"] is None]
    assert pakg["unlocated"]["edges"] == len(blind) > 0
    for f in edges.values():
        props = f["properties"]
        a, b = props["source"], props["target"]
        assert f["id"] == f"{a}→{b}" and props["source_label_zh"] == nodes[a]["properties"]["label_zh"]
        if f["geometry"] is None:
            assert props["distance_km"] is None
            assert nodes[a]["geometry"] is None or nodes[b]["geometry"] is None
            continue
        ends = [nodes[a]["geometry"]["coordinates"], nodes[b]["geometry"]["coordinates"]]
        assert f["geometry"]["coordinates"] == ends
        assert props["distance_km"] == round(geo.distance_km(tuple(ends[0]), tuple(ends[1])), 1)
        assert props["programmes"] == ["P-1"] and props["pairing_programmes"] == ["P-1"] * len(props["ids"])


def test_the_same_model_carries_points_and_distances_in_every_format(located):
    graph = network.project(located, "support")
    shanghai = TEST_POINTS["shanghai"]
    bachu = geo.distance_km(TEST_POINTS["shanghai"][:2], TEST_POINTS["bachu"][:2])
    gml = nx.parse_graphml(network.serialize(graph, "graphml").decode())
    assert (gml.nodes["shanghai"]["longitude"], gml.nodes["shanghai"]["latitude"]) == shanghai[:2]
    assert "longitude" not in gml.nodes["tianshan"]  # absent, not 0
    assert gml.edges["shanghai", "bachu"]["distance_km"] == round(bachu, 1)
    assert "distance_km" not in gml.edges["shanghai", "tianshan"]
    gexf = nx.read_gexf(io.BytesIO(network.serialize(graph, "gexf")))
    assert float(gexf.nodes["aksu-city"]["latitude"]) == TEST_POINTS["aksu-city"][1]
    assert gexf.nodes["aksu-city"]["point_placed_in"] == "kashgar"
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(network.serialize(graph, "csv", "nodes").decode()))}
    assert list(rows["bachu"])[-5:] == ["longitude", "latitude", "point_basis", "point_placed_in", "point_approximate"]
    assert rows["tianshan"]["longitude"] == rows["tianshan"]["latitude"] == ""
    edges = list(csv.DictReader(io.StringIO(network.serialize(graph, "csv").decode())))
    assert {r["target"]: r["distance_km"] for r in edges}["bachu"] == str(round(bachu, 1))
    link = json.loads(network.serialize(graph, "node-link"))
    nodes = {n["id"]: n for n in link["nodes"]}
    assert nodes["tianshan"]["longitude"] is None and nodes["bachu"]["point_basis"] == "gazetteer"
    assert "_points" not in link["graph"]  # only GeoJSON writes where the points come from


def test_aggregated_ends_take_the_units_points(located):
    """At prefecture level Bachu and Aksu City become Kashgar: the edge runs to Kashgar's point."""
    body = network.serialize(network.project(located, "support", "prefecture"), "geojson")
    edge = {f["properties"]["target"]: f for f in features(body, "edge")}["kashgar"]
    want = round(geo.distance_km(TEST_POINTS["shanghai"][:2], TEST_POINTS["kashgar"][:2]), 1)
    assert edge["properties"]["distance_km"] == want and edge["properties"]["pairings"] == 2


def test_geojson_is_a_network_format():
    spec = formats.get(Use.NETWORK, "geojson")
    assert (spec.media_type, spec.extension) == ("application/geo+json", "geojson")
    assert list(network.WRITERS) == formats.names(Use.NETWORK)


# ---- the curated data, through the service and the command ------------------------------------------


def geojson_of(client, **params) -> tuple[bytes, dict]:
    response = client.get("/network", params={**params, "format": "geojson"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/geo+json")
    assert response.headers["content-disposition"].endswith('.geojson"')
    return response.content, check_rfc7946(response.content)


def node_link(client, **params) -> dict:
    response = client.get("/network", params={**params, "format": "node-link"})
    assert response.status_code == 200, response.text
    return response.json()


def test_the_curated_network_validates_and_re_reads(client):
    body, data = geojson_of(client)
    link = node_link(client)
    nodes, edges = features(body, "node"), features(body, "edge")
    assert len(nodes) == len(link["nodes"]) and len(edges) == len(link["links"])  # nothing dropped
    located = [f for f in nodes if f["geometry"] is not None]
    assert located, "the curated network has points (points-ready)"
    frame = geopandas.GeoDataFrame.from_features(data["features"], crs="EPSG:4326")
    assert len(frame) == len(nodes) + len(edges)
    assert int(frame.geometry.isna().sum()) == data["pakg"]["unlocated"]["nodes"] + data["pakg"]["unlocated"]["edges"]
    assert set(frame[frame["feature"] == "node"]["id"]) == {n["id"] for n in link["nodes"]}
    for f in data["features"]:
        if f["geometry"] is not None:
            shape = shapely.geometry.shape(f["geometry"])
            assert shape.geom_type == f["geometry"]["type"] and not shape.is_empty
            assert shape.is_valid or shape.length == 0  # (a flow between two units sharing a point has none)
    # unlocated: counted, with a reason, never dropped
    unlocated = data["pakg"]["unlocated"]
    blind = [f["id"] for f in nodes if f["geometry"] is None]
    assert unlocated["nodes"] == len(blind) and [i["id"] for i in unlocated["items"]] == blind
    assert all(i["reason"] and i["label_zh"] and i["label_en"] for i in unlocated["items"])
    assert unlocated["edges"] == sum(1 for f in edges if f["geometry"] is None)
    # the licence and the source of the points
    pakg = data["pakg"]
    assert pakg["licence"] and pakg["release"] and pakg["citation"] and pakg["dataset_version"]
    assert pakg["points_source"]["id"] and pakg["points_source"]["title"]
    # each located node where node-link says it is; each located edge's distance from its ends
    where = {n["id"]: (n["longitude"], n["latitude"]) for n in link["nodes"]}
    for f in located:
        assert tuple(f["geometry"]["coordinates"]) == where[f["id"]]
    for f in edges:
        a, b = f["properties"]["source"], f["properties"]["target"]
        if f["geometry"] is not None:
            want = round(geo.distance_km(where[a], where[b]), 1)
            assert f["properties"]["distance_km"] == want, f["id"]


def _filter_sets(client) -> list[dict]:
    """Filters taken from the data: a supporter's and a recipient's names, a programme, a year, a confidence
    and the levels."""
    link = node_link(client)
    labels = {n["id"]: n for n in link["nodes"]}
    busiest = max(link["links"], key=lambda e: e["pairings"])
    dated = next(e for e in link["links"] if e["first_year"])
    programme = next(p for e in link["links"] for p in e["programmes"])
    return [
        {"supporter": labels[busiest["source"]]["label_zh"]},
        {"recipient": labels[busiest["target"]]["label_en"]},
        {"programme": programme},
        {"year": dated["first_year"]},
        {"min_confidence": "high"},
        {"level": "province"},
        {"supporter_level": "province", "recipient_level": "prefecture"},
    ]


def test_the_same_filters_give_the_same_edges_as_node_link(client):
    for params in _filter_sets(client):
        body, data = geojson_of(client, **params)
        link = node_link(client, **params)
        edges = {
            (f["properties"]["source"], f["properties"]["target"]): f["properties"] for f in features(body, "edge")
        }
        assert set(edges) == {(e["source"], e["target"]) for e in link["links"]}, params
        assert {f["id"] for f in features(body, "node")} == {n["id"] for n in link["nodes"]}, params
        for e in link["links"]:
            props = edges[e["source"], e["target"]]
            for name, value in e.items():
                if name not in ("source", "target"):
                    assert props[name] == value, (params, name)
        assert data["pakg"]["filters"] == link["graph"]["filters"], params
        assert data["pakg"]["left_out"] == link["graph"]["left_out"], params


def test_aggregation_changes_the_distances(client):
    _, paired = geojson_of(client)
    _, provinces = geojson_of(client, level="province")
    km = {
        name: sorted(
            f["properties"]["distance_km"]
            for f in d["features"]
            if f["properties"]["feature"] == "edge" and f["geometry"] is not None
        )
        for name, d in (("paired", paired), ("provinces", provinces))
    }
    assert km["paired"] and km["provinces"] and km["paired"] != km["provinces"]


def test_the_command_writes_the_bytes_the_service_serves(client, tmp_path):
    programme = _filter_sets(client)[2]["programme"]
    served = client.get("/network", params={"format": "geojson", "programme": programme}).content
    out = tmp_path / "support.geojson"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pakg",
            "export",
            "--network",
            "support",
            "--level",
            "as-paired",
            "--format",
            "geojson",
            "--programme",
            programme,
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == served


def test_every_format_carries_the_coordinates_and_distances(client):
    link = node_link(client)
    node = next(n for n in link["nodes"] if n["longitude"] is not None)
    edge = next(e for e in link["links"] if e["distance_km"] is not None)
    assert isinstance(edge["programmes"], list) and len(edge["pairing_programmes"]) == len(edge["ids"])
    gml = nx.parse_graphml(client.get("/network", params={"format": "graphml"}).text)
    assert (gml.nodes[node["id"]]["longitude"], gml.nodes[node["id"]]["latitude"]) == (
        node["longitude"],
        node["latitude"],
    )
    assert gml.edges[edge["source"], edge["target"]]["distance_km"] == edge["distance_km"]
    gexf = nx.read_gexf(io.BytesIO(client.get("/network", params={"format": "gexf"}).content))
    assert float(gexf.nodes[node["id"]]["longitude"]) == node["longitude"]
    assert float(gexf.edges[edge["source"], edge["target"]]["distance_km"]) == edge["distance_km"]
    text = client.get("/network", params={"format": "csv", "table": "nodes"}).text
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text))}
    assert float(rows[node["id"]]["latitude"]) == node["latitude"]
    assert rows[node["id"]]["point_basis"] == node["point_basis"]
    blind = [n["id"] for n in link["nodes"] if n["longitude"] is None]
    assert all(rows[i]["longitude"] == "" for i in blind)  # empty, not 0
    text = client.get("/network", params={"format": "csv"}).text
    cells = {(r["source"], r["target"]): r for r in csv.DictReader(io.StringIO(text))}
    assert float(cells[edge["source"], edge["target"]]["distance_km"]) == edge["distance_km"]


def test_openapi_offers_geojson(client):
    spec = client.get("/openapi.json").json()
    get = spec["paths"]["/network"]["get"]
    format_schema = next(p for p in get["parameters"] if p["name"] == "format")["schema"]
    assert "geojson" in format_schema["enum"]
    assert "application/geo+json" in get["responses"]["200"]["content"]
