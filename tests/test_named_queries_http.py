"""The named queries over HTTP (issue 16, point 7): ``GET /queries`` lists every ``.rq`` file with its typed
parameters, ``GET /queries/{name}?param=…`` runs one — IRI parameters take IRIs, prefixed names, short ids
and names (the same ``NamedQuery.bind`` the CLI calls) — and answers in the SPARQL result formats (by
``format``, ``Accept`` or a suffix) and CSV (with a BOM for Excel on request).  Bad parameters are 422s
naming the parameter; an unknown query a 404."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import pandas as pd
import pyoxigraph as ox
import pytest

from api import schemas
from graph import queries
from graph.config import ONTOLOGY_DIR, PA, QUERY_DIR
from graph.errors import BadParameter
from graph.readmodel import ReadModel

PAIRING = "https://w3id.org/pakg/id/pairing/PR-0002"


@pytest.fixture(scope="module")
def model(engine, base):
    return ReadModel(engine, base)


def header_parameters(path) -> list[str]:
    """The variables a query file's ``# Parameters:`` line names (read from the file, not the code)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# Parameters:"):
            return re.findall(r"\?(\w+) \(", line)
    return []


def ontology_classes() -> set[str]:
    store = ox.Store()
    store.load(path=str(ONTOLOGY_DIR / "pakg.ttl"), format=ox.RdfFormat.TURTLE)
    owl_class = ox.NamedNode("http://www.w3.org/2002/07/owl#Class")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    return {"pa:" + q.subject.value[len(PA) :] for q in store.quads_for_pattern(None, rdf_type, owl_class)}


def test_every_query_file_is_listed_with_its_parameters(client):
    response = client.get("/queries")
    assert response.status_code == 200
    listed = {q["name"]: q for q in response.json()}
    for q in response.json():
        schemas.QueryInfo.model_validate(q)
    files = sorted(QUERY_DIR.glob("*.rq"))
    assert sorted(listed) == [p.stem for p in files]
    classes = ontology_classes()
    for path in files:
        entry = listed[path.stem]
        assert [p["name"] for p in entry["parameters"]] == header_parameters(path), path.name
        assert entry["url"] == f"/queries/{path.stem}" and entry["description"]
        assert "Parameters:" not in entry["description"]
        for p in entry["parameters"]:
            assert p["type"] in ("iri", "literal", "integer")
            assert p["class"] is None or p["class"] in classes, p
            assert p["description"] in path.read_text(encoding="utf-8")
    assert listed["instruments_for_pairing"]["parameters"] == [
        {"name": "pairing", "type": "iri", "class": "pa:Pairing", "description": "IRI of a pa:Pairing"}
    ]


def sparql_json(response) -> list[dict]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    return response.json()["results"]["bindings"]


@pytest.mark.parametrize("value", ["PR-0002", "pr-0002", PAIRING])
def test_a_pairing_by_iri_or_short_id(client, value):
    expected = sparql_json(client.get("/queries/instruments_for_pairing", params={"pairing": PAIRING}))
    assert expected and all(row["pairing"]["value"] == PAIRING for row in expected)
    assert sparql_json(client.get("/queries/instruments_for_pairing", params={"pairing": value})) == expected


@pytest.mark.parametrize("name", ["克州", "Kizilsu", "kizilsu-kirghiz-autonomous-prefecture"])
def test_a_place_by_its_names(client, name):
    """supporters_of takes an actor by any of its names, resolved as /resolve resolves them."""
    iri = client.get("/resolve", params={"name": "克州", "kind": "actor"}).json()["iri"]
    expected = sparql_json(client.get("/queries/supporters_of", params={"region": iri}))
    assert expected and {row["region"]["value"] for row in expected} == {iri}
    assert sparql_json(client.get("/queries/supporters_of", params={"region": name})) == expected


def test_any_resource_by_its_short_id(client):
    rows = sparql_json(client.get("/queries/sources_of", params={"resource": "PR-0002"}))
    assert rows and {r["resource"]["value"] for r in rows} == {PAIRING}


def test_a_prefixed_name(client):
    rows = sparql_json(client.get("/queries/concepts_in_scheme", params={"scheme": "pa:fields"}))
    notations = client.get("/vocabulary").json()["vocabularies"]
    fields = next(v for v in notations if v["name"] == "field")
    assert {r["concept"]["value"] for r in rows} == {v["iri"] for v in fields["values"]}


@pytest.mark.parametrize(
    "path,params,parameter,words",
    [
        ("/queries/supporters_of", {}, "region", "needs ?region"),
        ("/queries/supporters_of", {"region": "克州", "year": "2010"}, "year", "no parameter 'year'"),
        ("/queries/supporters_of", {"region": "Atlantis"}, "region", "Atlantis"),
        ("/queries/instruments_for_pairing", {"pairing": "PR-9999"}, "pairing", "PR-9999"),
        ("/queries/sources_of", {"resource": "http://bad iri"}, "resource", "not a valid IRI"),
        ("/queries/sources_of", {"resource": ""}, "resource", "empty"),
        ("/queries/quad_count", {"x": "1"}, "x", "takes no parameters"),
    ],
)
def test_bad_parameters_are_422_naming_them(client, path, params, parameter, words):
    response = client.get(path, params=params)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["parameter"] == parameter and words in body["detail"]


def test_an_unknown_name_lists_candidates(client):
    body = client.get("/queries/supporters_of", params={"region": "Kizilsuu"}).json()
    assert body["parameter"] == "region" and "candidates" in body


def test_a_parameter_given_twice_is_a_422(client):
    response = client.get("/queries/instruments_for_pairing?pairing=PR-0002&pairing=PR-0001")
    assert response.status_code == 422 and response.json()["parameter"] == "pairing"


def test_an_unknown_query_is_a_404(client):
    response = client.get("/queries/no_such_query")
    assert response.status_code == 404 and "instruments_for_pairing" in response.json()["detail"]


def test_formats_agree(client):
    url, params = "/queries/supporters_of", {"region": "克州"}
    bindings = sparql_json(client.get(url, params=params))
    variables = client.get(url, params=params).json()["head"]["vars"]
    n = len(bindings)
    assert n > 1
    xml = client.get(url, params={**params, "format": "xml"})
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")
    results = ET.fromstring(xml.content).findall(".//{http://www.w3.org/2005/sparql-results#}result")
    assert len(results) == n
    as_csv = client.get(url, params={**params, "format": "csv"})
    assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    table = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8"))))
    assert len(table) == n and list(table[0]) == variables
    assert [r["pairing"] for r in table] == [b["pairing"]["value"] for b in bindings]
    frame = pd.read_csv(io.BytesIO(as_csv.content))
    assert frame.shape == (n, len(variables))
    tsv = client.get(url, params={**params, "format": "tsv"})
    assert tsv.headers["content-type"].startswith("text/tab-separated-values")
    assert len(tsv.content.decode("utf-8").strip().splitlines()) == n + 1
    # by Accept, and by the suffix: the same bytes
    assert client.get(url, params=params, headers={"Accept": "text/csv"}).content == as_csv.content
    assert client.get(url + ".csv", params=params).content == as_csv.content
    assert client.get(url + ".tsv", params=params).content == tsv.content
    assert client.get(url + ".json", params=params).json()["results"]["bindings"] == bindings


def test_bom_for_excel(client):
    url, params = "/queries/pairings_without_agreement", {"format": "csv"}
    plain = client.get(url, params=params).content
    marked = client.get(url, params={**params, "bom": "true"}).content
    assert marked.startswith(b"\xef\xbb\xbf") and marked.decode("utf-8-sig") == plain.decode("utf-8")
    frame = pd.read_csv(io.BytesIO(marked), encoding="utf-8-sig")
    assert frame.columns[0] == "pairing"
    assert len(frame) == len(sparql_json(client.get(url)))


def test_a_construct_query_answers_rdf(client):
    url, params = "/queries/resource_description", {"resource": "PR-0002"}
    turtle = client.get(url, params=params)
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
    triples = list(ox.parse(turtle.content, format=ox.RdfFormat.TURTLE))
    assert any(t.subject.value == PAIRING for t in triples)
    nt = client.get(url, params={**params, "format": "ntriples"})
    assert len(list(ox.parse(nt.content, format=ox.RdfFormat.N_TRIPLES))) == len(triples)
    refused = client.get(url, params={**params, "format": "csv"})
    assert refused.status_code == 406 and "text/turtle" in refused.json()["supported"]


def test_the_row_cap(client, engine):
    response = client.get("/queries/all_quads", params={"format": "csv"})
    cap = int(response.headers["x-row-cap"])
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert len(lines) - 1 == min(cap, engine.triple_count)
    assert (response.headers.get("x-truncated") == "true") == (engine.triple_count > cap)


def test_the_openapi_document(client):
    document = client.get("/openapi.json").json()
    run = document["paths"]["/queries/{name}"]["get"]
    parameters = {p["name"]: p for p in run["parameters"]}
    assert sorted(parameters["name"]["schema"]["enum"]) == sorted(p.stem for p in QUERY_DIR.glob("*.rq"))
    assert {"json", "xml", "csv", "tsv"} <= set(parameters["format"]["schema"]["enum"])
    listed = document["paths"]["/queries"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listed["items"]["$ref"].endswith("/QueryInfo")
    assert "class" in document["components"]["schemas"]["QueryParameter"]["properties"]


# ---- NamedQuery.bind, as the CLI calls it ----------------------------------------------------------
def test_bind_without_a_model_takes_iris_only():
    query = queries.get("instruments_for_pairing")
    assert query.bind({"pairing": PAIRING}, None) == {"pairing": ox.NamedNode(PAIRING)}
    assert query.bind({"?pairing": PAIRING}, None) == {"pairing": ox.NamedNode(PAIRING)}
    with pytest.raises(BadParameter) as err:
        query.bind({"pairing": "PR-0002"}, None)
    assert err.value.name == "pairing" and "absolute IRI" in str(err.value)


def test_bind_with_a_model(model):
    query = queries.get("instruments_for_pairing")
    assert query.bind({"pairing": "PR-0002"}, model) == {"pairing": ox.NamedNode(PAIRING)}
    supporters = queries.get("supporters_of")
    region = supporters.bind({"region": "克州"}, model)["region"]
    assert supporters.bind({"region": "Kizilsu"}, model)["region"] == region
    assert model.resources[region.value].label_zh.startswith("克孜勒苏")


@pytest.mark.parametrize(
    "values,parameter",
    [({}, "pairing"), ({"pairing": "PR-0002", "other": "x"}, "other"), ({"pairing": "no such pairing"}, "pairing")],
)
def test_bind_says_which_parameter(model, values, parameter):
    with pytest.raises(BadParameter) as err:
        queries.get("instruments_for_pairing").bind(values, model)
    assert err.value.name == parameter


def test_parameter_types_from_the_header():
    year = queries.Parameter.parse("year", "an integer: a year")
    assert year.type == "integer"
    assert year.term(" 2012", None) == ox.Literal(
        "2012", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    )
    with pytest.raises(BadParameter) as err:
        year.term("twenty", None)
    assert err.value.name == "year"
    text = queries.Parameter.parse("text", "a plain string")
    assert text.type == "literal" and text.term("和田", None) == ox.Literal("和田")
    pairing = queries.Parameter.parse("pairing", "IRI of a pa:Pairing")
    assert (pairing.type, pairing.cls, pairing.kind) == ("iri", "pa:Pairing", "pairing")
    person = queries.Parameter.parse("person", "IRI of a pa:Person")
    assert person.kind == "actor"
