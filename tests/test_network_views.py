"""Networks a visualiser can use in one call (issue 16, point 5): each end at its own level, the case
study's micro-relations only where asked, every node with the same fields and the same id in every
format, ``filters`` an object in JSON (JSON text only where a format has no objects), and the
parameters enumerated in the OpenAPI document.  Expectations come from the data tables."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from conftest import table_rows

from api import schemas
from graph import formats, network
from graph.formats import Use

NODE_FIELDS = ("id", "iri", "label_zh", "label_en", "level", "parent", "code")


# ---- the data: which actors and pairings are the case study's micro-relations ---------------------------


def _actors() -> dict[str, dict]:
    return {r["id"]: r for r in table_rows("actors")}


def case_actor_ids() -> set[str]:
    """As the data marks them: a pseudonym, or read as a real actor by an identification; and the units
    below such an actor; and the people and teams (the micro level)."""
    actors = _actors()
    marked = {i for i, r in actors.items() if r.get("pseudonym")}
    marked |= {r["pseudonymous"] for r in table_rows("identifications")}
    found = set(marked)
    for ident in actors:
        node, seen = ident, set()
        while node and node not in seen:
            if node in marked:
                found.add(ident)
            seen.add(node)
            node = actors.get(node, {}).get("parent")
    found |= {i for i, r in actors.items() if r["level"] in ("person", "team")}
    return found


def case_pairing_ids() -> set[str]:
    case = case_actor_ids()
    return {
        r["id"]
        for r in table_rows("pairings")
        if r["kind"] not in ("", "pairing") or r["supporter"] in case or r["recipient"] in case
    }


def test_the_data_marks_a_case_and_it_has_a_mentorship_and_a_pseudonymous_pairing():
    pairings = {r["id"]: r for r in table_rows("pairings")}
    case = case_pairing_ids()
    assert any(pairings[i]["kind"] == "mentorship" for i in case)
    assert any(pairings[i]["kind"] in ("", "pairing") for i in case)  # a pairing of pseudonymous actors
    assert len(case) < len(pairings) / 10


def node_link(client, **params) -> dict:
    response = client.get("/network", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def edge_ids(body: dict) -> set[str]:
    return {i for link in body["links"] for i in link.get("ids", [])}


# ---- levels ------------------------------------------------------------------------------------------


def test_by_default_each_end_is_as_its_pairing_names_it(client):
    body = node_link(client)
    assert body["graph"]["level"] == "as-paired" == body["graph"]["supporter_level"] == body["graph"]["recipient_level"]
    rows = [r for r in table_rows("pairings") if r["id"] not in case_pairing_ids()]
    merged = {r["id"]: r["into"] for r in table_rows("merges")}  # a retired id: its survivor
    want = {(merged.get(r["supporter"], r["supporter"]), merged.get(r["recipient"], r["recipient"])) for r in rows}
    got = {(link["source"], link["target"]) for link in body["links"]}
    assert got == want
    assert sum(link["pairings"] for link in body["links"]) == len(rows) == len(edge_ids(body))


def test_provinces_to_prefectures_in_one_call_is_the_two_calls_joined_by_hand(client):
    """supporter_level=province&recipient_level=prefecture: each pairing's supporter as the province-level
    network draws it and its recipient as the prefecture-level one does."""
    mixed = node_link(client, supporter_level="province", recipient_level="prefecture")
    provinces = node_link(client, level="province")
    prefectures = node_link(client, level="prefecture")
    supporter = {i: link["source"] for link in provinces["links"] for i in link["ids"]}
    recipient = {i: link["target"] for link in prefectures["links"] for i in link["ids"]}
    by_hand = {i: (supporter[i], recipient[i]) for i in supporter.keys() & recipient.keys()}
    got = {i: (link["source"], link["target"]) for link in mixed["links"] for i in link["ids"]}
    assert by_hand and {i: got[i] for i in by_hand} == by_hand
    assert set(got) <= supporter.keys() | recipient.keys()
    levels = {n["id"]: n["level"] for n in mixed["nodes"]}
    recipients = {link["target"] for link in mixed["links"]}
    assert "prefecture" in {levels[r] for r in recipients}
    assert mixed["graph"]["level"] == "mixed"
    assert (mixed["graph"]["supporter_level"], mixed["graph"]["recipient_level"]) == ("province", "prefecture")
    # level is the shorthand for both
    assert node_link(client, level="province", recipient_level="province")["links"] == provinces["links"]
    response = client.get(
        "/network", params={"supporter_level": "province", "recipient_level": "prefecture", "format": "csv"}
    )
    assert "support-province-to-prefecture-edges.csv" in response.headers["content-disposition"]


@pytest.mark.parametrize("parameter", ["level", "supporter_level", "recipient_level", "view", "format"])
def test_an_unknown_enumerated_value_is_a_422_naming_its_parameter(client, parameter):
    for path in ("/network", "/analysis/degree"):
        if parameter == "format" and path != "/network":
            continue
        response = client.get(path, params={parameter: "galaxy"})
        assert response.status_code == 422 and response.json()["parameter"] == parameter, response.text


def test_analyses_take_the_levels_and_echo_them(client):
    params = {"supporter_level": "province", "recipient_level": "prefecture"}
    body = client.get("/analysis/degree", params=params).json()
    network_body = node_link(client, **params)
    assert (body["supporter_level"], body["recipient_level"], body["level"]) == ("province", "prefecture", "mixed")
    assert {r["node"]["id"] for r in body["rows"]} == {n["id"] for n in network_body["nodes"]}
    assert "as-paired" in client.get("/analysis").json()["levels"]


# ---- the case study's micro-relations --------------------------------------------------------------


@pytest.mark.parametrize("level", network.LEVELS)
def test_the_support_views_leave_the_case_out_unless_asked(client, level):
    case_actors, case_pairings = case_actor_ids(), case_pairing_ids()
    for view in ("support", "co-supporters", "co-recipients"):
        body = node_link(client, view=view, level=level)
        assert not ({n["id"] for n in body["nodes"]} & case_actors), (view, level)
        assert not (edge_ids(body) & case_pairings), (view, level)
        assert body["graph"]["include_case"] is False
    default = node_link(client, level=level)
    asked = node_link(client, level=level, include_case="true")
    assert asked["graph"]["include_case"] is True and default["graph"]["case_left_out"] == len(case_pairings)
    assert edge_ids(asked) - edge_ids(default) <= case_pairings
    assert "left out" in default["graph"]["description"] and "include_case=true" in default["graph"]["description"]
    if level == "as-paired":  # every pairing of the case has its edge when asked, its ends their nodes
        assert edge_ids(asked) >= case_pairings
    if level == "province":  # the pseudonymous province is a node of its own only when asked
        pseudonymous = {r["pseudonymous"] for r in table_rows("identifications")}
        provinces = pseudonymous & {i for i, r in _actors().items() if r["level"] == "province"}
        assert provinces and provinces <= {n["id"] for n in asked["nodes"]}


def test_the_views_about_the_case_show_it_and_can_leave_it_out(client):
    case_pairings = case_pairing_ids()
    for view in ("governance", "chain"):
        shown = {n["id"] for n in node_link(client, view=view)["nodes"]}
        assert case_pairings <= shown, view
        left = node_link(client, view=view, include_case="false")
        assert not ({n["id"] for n in left["nodes"]} & case_pairings) and left["graph"]["include_case"] is False
    micro = node_link(client, view="micro")
    assert micro["nodes"] and micro["graph"]["include_case"] is True
    refused = client.get("/network", params={"view": "micro", "include_case": "false"})
    assert refused.status_code == 422 and refused.json()["parameter"] == "include_case"


# ---- nodes: the same fields and ids in every format ----------------------------------------------------


def nodes_of(client, fmt: str, **params) -> dict[str, dict]:
    """The nodes of a network file, by id, with their fields as the format gives them."""
    response = client.get("/network", params={**params, "format": fmt, "table": "nodes"})
    assert response.status_code == 200, response.text
    if fmt == "csv":
        return {r["id"]: r for r in csv.DictReader(io.StringIO(response.text))}
    if fmt == "graphml":
        graph = nx.parse_graphml(response.text)
        return {n: {**d, "id": n} for n, d in graph.nodes(data=True)}
    if fmt == "gexf":
        graph = nx.read_gexf(io.BytesIO(response.content))
        return {n: {**d, "id": n} for n, d in graph.nodes(data=True)}
    if fmt == "cytoscape":
        return {n["data"]["id"]: n["data"] for n in response.json()["elements"]["nodes"]}
    if fmt == "geojson":
        features = response.json()["features"]
        return {f["id"]: f["properties"] for f in features if f["properties"]["feature"] == "node"}
    return {n["id"]: n for n in response.json()["nodes"]}


@pytest.mark.parametrize("view", network.VIEWS)
def test_every_node_of_every_view_has_the_same_id_and_fields_in_every_format(client, view):
    params = {"view": view, "level": "prefecture"}
    everywhere = {fmt: nodes_of(client, fmt, **params) for fmt in formats.names(Use.NETWORK)}
    ids = {fmt: set(found) for fmt, found in everywhere.items()}
    assert len({frozenset(v) for v in ids.values()}) == 1, {k: len(v) for k, v in ids.items()}
    actors = _actors()
    for fmt, found in everywhere.items():
        for ident, node in found.items():
            for name in NODE_FIELDS:  # GraphML and GEXF leave out empty text: read as ''
                value = node.get(name, "")
                assert isinstance(value, str), (fmt, ident, name, value)
            assert node["iri"].rsplit("/", 1)[-1] == ident and node["label_zh"] and node["label_en"]
            if ident in actors:  # parent and code as the actors table gives them
                assert node.get("parent", "") == actors[ident]["parent"], (fmt, ident)
                assert node.get("code", "") == actors[ident]["gb_code"], (fmt, ident)


def test_nodes_have_codes_and_parents_and_edges_use_the_node_ids(client):
    body = node_link(client, level="prefecture")
    nodes = {n["id"]: n for n in body["nodes"]}
    assert sum(1 for n in nodes.values() if n["code"]) > len(nodes) / 2
    assert any(n["parent"] for n in nodes.values())
    assert all(link["source"] in nodes and link["target"] in nodes for link in body["links"])
    edges = client.get("/network", params={"level": "prefecture", "format": "csv"}).text
    rows = list(csv.DictReader(io.StringIO(edges)))
    assert {(r["source"], r["target"]) for r in rows} == {(lk["source"], lk["target"]) for lk in body["links"]}
    cyto = client.get("/network", params={"level": "prefecture", "format": "cytoscape"}).json()["elements"]
    assert {(e["data"]["source"], e["data"]["target"]) for e in cyto["edges"]} == {
        (lk["source"], lk["target"]) for lk in body["links"]
    }


def test_node_ids_shared_by_two_resources_stay_apart():
    graph = nx.DiGraph(view="governance", filters={}, left_out={})
    for iri, kind in (("https://x/id/actor/same", "actor"), ("https://x/id/programme/same", "programme")):
        graph.add_node(
            iri,
            id="same",
            iri=iri,
            label_zh=kind,
            label_en=kind,
            level="",
            parent="",
            code="",
            kind=kind,
            confidence="",
        )
    graph.add_edge("https://x/id/programme/same", "https://x/id/actor/same")
    body = json.loads(network.serialize(graph, "node-link"))
    assert {n["id"] for n in body["nodes"]} == {"actor/same", "programme/same"}


# ---- filters: an object in JSON, JSON text only where a format has no objects -----------------------------


def test_filters_are_an_object_in_network_and_analysis_and_text_only_where_forced(client):
    params = {"recipient": "xinjiang", "field": "medical", "level": "province"}
    graph = node_link(client, **params)["graph"]
    analysis = client.get("/analysis/degree", params=params).json()
    assert graph["filters"] == analysis["filters"] == {"recipient": "xinjiang", "field": "medical"}
    cyto = client.get("/network", params={**params, "format": "cytoscape"}).json()["data"]
    assert cyto["filters"] == graph["filters"]
    graphml = nx.parse_graphml(client.get("/network", params={**params, "format": "graphml"}).text)
    assert json.loads(graphml.graph["filters"]) == graph["filters"]  # GraphML data are scalars
    gexf = client.get("/network", params={**params, "format": "gexf"})
    root = ET.fromstring(gexf.content)
    ns = {"g": root.tag.split("}")[0][1:]}
    keywords = json.loads(root.find("g:meta/g:keywords", ns).text)
    assert keywords["recipient"] == "xinjiang" and keywords["field"] == "medical"
    header = json.loads(gexf.headers["Pakg-Filters"])
    assert header["recipient"] == "xinjiang" and header["supporter_level"] == "province"


def test_include_subunits_false_keeps_only_the_place_itself(client):
    below = node_link(client, recipient="xinjiang")
    itself = node_link(client, recipient="xinjiang", include_subunits="false")
    assert {lk["target"] for lk in itself["links"]} <= {"xinjiang"} and len(itself["links"]) < len(below["links"])
    assert itself["graph"]["filters"]["include_subunits"] is False
    assert "include_subunits" not in below["graph"]["filters"]


# ---- the OpenAPI document --------------------------------------------------------------------------------


def test_the_network_parameters_are_enumerated_and_the_answer_declared(client):
    spec = client.get("/openapi.json").json()

    def enum(parameter: dict) -> list | None:
        schema = parameter["schema"]
        for part in (schema, *schema.get("anyOf", [])):
            if "enum" in part:
                return part["enum"]
            if "$ref" in part:
                return spec["components"]["schemas"][part["$ref"].rsplit("/", 1)[-1]].get("enum")
        return None

    for path in ("/network", "/analysis/{name}"):
        parameters = {p["name"]: p for p in spec["paths"][path]["get"]["parameters"]}
        assert enum(parameters["view"]) == list(network.VIEWS)
        for name in ("level", "supporter_level", "recipient_level"):
            assert enum(parameters[name]) == list(network.LEVELS), (path, name)
        assert parameters["include_case"]["schema"]["anyOf"][0]["type"] == "boolean"
    parameters = {p["name"]: p for p in spec["paths"]["/network"]["get"]["parameters"]}
    assert enum(parameters["format"]) == formats.names(Use.NETWORK)
    assert enum(parameters["table"]) == ["nodes", "edges"]
    answer = spec["paths"]["/network"]["get"]["responses"]["200"]["content"]
    declared = {part["$ref"].rsplit("/", 1)[-1] for part in answer["application/json"]["schema"]["anyOf"]}
    assert declared == {"NodeLinkNetwork", "CytoscapeNetwork"}  # format=node-link and format=cytoscape
    assert {"application/graphml+xml", "text/csv"} <= set(answer) or len(answer) == len(
        {f.media_type for f in formats.listed(Use.NETWORK)}
    )


@pytest.mark.parametrize("view", network.VIEWS)
def test_node_link_answers_keep_their_declared_shape(client, view):
    body = node_link(client, view=view, level="province")
    schemas.NodeLinkNetwork.model_validate(body)
    result = client.get("/analysis/degree", params={"view": view, "level": "province"})
    if result.status_code == 200:
        schemas.AnalysisResult.model_validate(result.json())
