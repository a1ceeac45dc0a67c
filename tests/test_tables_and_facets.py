"""Lists as tables (issue 16, point 7): every REST listing as JSON or CSV through the same URL
(``?format=csv``, the ``.csv`` / ``.json`` suffix, ``bom=true`` for Excel), CSV read back with Python's csv
module and pandas; facet counts over every item the filters keep (not only the page), with the labels of
the graph's own vocabularies; an unknown facet is a 422 naming ``facet``.  Expectations are read from the
JSON answers and the data, not written in."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pandas as pd
import pytest
from conftest import table_count

from api import schemas, tabular
from graph import facets as graph_facets

LISTINGS = {  # path -> (kind of list, the answer's model)
    "/pairings": ("pairing", schemas.FilteredPage[schemas.PairingItem]),
    "/actors": ("actor", schemas.FilteredPage[schemas.ActorItem]),
    "/instruments": ("instrument", schemas.InstrumentPage),
    "/programmes": ("programme", schemas.FilteredPage[schemas.ProgrammeItem]),
    "/sources": ("source", schemas.ListPage[schemas.SourceItem]),
}
ALL = {"limit": 1000}


def rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def everything(client, path: str, **params) -> dict:
    body = client.get(path, params={**ALL, **params}).json()
    assert body["total"] <= 1000, "the test reads a whole list in one page"
    return body


@pytest.mark.parametrize("path", LISTINGS)
def test_csv_has_one_row_per_item_in_the_same_order(client, path):
    body = everything(client, path)
    response = client.get(path, params={**ALL, "format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert f'filename="{path.strip("/")}.csv"' in response.headers["content-disposition"]
    table = rows(response)
    assert [r["id"] for r in table] == [i["id"] for i in body["items"]]
    assert len(table) == body["total"] > 0
    frame = pd.read_csv(io.BytesIO(response.content), dtype=str, keep_default_na=False)
    assert frame.shape[0] == body["total"] and list(frame["id"]) == [i["id"] for i in body["items"]]
    # the header is the item model's columns, in its order (so that an empty page has it too)
    model = LISTINGS[path][1]
    columns = tabular.columns_of(model.model_fields["items"].annotation.__args__[0])
    assert list(frame.columns)[: len(columns)] == columns


def test_pairings_csv_holds_the_whole_list(client):
    """Every pairing (and mentorship) of the data tables, in one CSV page (read back with pandas)."""
    frame = pd.read_csv(io.BytesIO(client.get("/pairings.csv", params=ALL).content))
    assert len(frame) == client.get("/pairings").json()["total"]
    assert len(frame) == table_count("pairings")


@pytest.mark.parametrize("path", LISTINGS)
def test_suffix_is_the_same_answer(client, path):
    query = {"limit": 7, "offset": 3, "q": "a"}
    assert (
        client.get(f"{path}.csv", params=query).content == client.get(path, params={**query, "format": "csv"}).content
    )
    assert client.get(f"{path}.json", params=query).json() == client.get(path, params=query).json()
    # the suffix wins over a format in the query
    assert client.get(f"{path}.csv", params={**query, "format": "json"}).headers["content-type"].startswith("text/csv")


@pytest.mark.parametrize("path", LISTINGS)
def test_bom_for_excel(client, path):
    plain = client.get(path, params={"limit": 5, "format": "csv"}).content
    marked = client.get(path, params={"limit": 5, "format": "csv", "bom": "true"}).content
    assert marked.startswith(b"\xef\xbb\xbf") and not plain.startswith(b"\xef\xbb\xbf")
    assert marked.decode("utf-8-sig") == plain.decode("utf-8")
    frame = pd.read_csv(io.BytesIO(marked), encoding="utf-8-sig", dtype=str)
    assert frame.columns[0] == "id"


@pytest.mark.parametrize("language,key", [("zh-CN", "label_zh"), ("en", "label_en")])
def test_references_are_ids_with_a_label_column_lists_are_joined(client, language, key):
    headers = {"Accept-Language": language}
    body = client.get("/pairings", params=ALL, headers=headers).json()
    table = rows(client.get("/pairings.csv", params=ALL, headers=headers))
    for item, line in zip(body["items"], table, strict=True):
        assert line["supporter"] == item["supporter"]["id"]
        assert line["supporter_label"] == item["supporter"][key]
        assert line["recipient_label"] == item["recipient"][key]
        assert line["programme"] == (item["programme"]["id"] if item["programme"] else "")
        assert line["fields"] == "; ".join(item["fields"])
        assert line["sources"] == "; ".join(s["id"] for s in item["sources"])
        assert line["period_start"] == ("" if item["period"]["start"] is None else str(item["period"]["start"]))
        assert line["period_label"] == item["period"][key]
    assert any(";" in line["fields"] for line in table), "some pairing has several fields"


def test_a_page_of_csv_says_where_the_next_page_is(client):
    total = client.get("/actors").json()["total"]
    first = client.get("/actors.csv", params={"limit": 10})
    assert len(rows(first)) == 10
    link = first.headers["link"]
    assert 'rel="next"' in link and "offset=10" in link and "format=csv" in link
    target = link.split(">")[0].lstrip("<")
    following = client.get(target)
    assert [r["id"] for r in rows(following)] == [
        i["id"] for i in client.get("/actors", params={"limit": 10, "offset": 10}).json()["items"]
    ]
    last = client.get("/actors.csv", params={"limit": 10, "offset": total - 3})
    assert len(rows(last)) == 3 and "link" not in last.headers


def test_head_has_the_csv_headers(client):
    got = client.get("/programmes.csv")
    head = client.head("/programmes.csv")
    assert head.status_code == 200 and head.content == b""
    for name in ("content-type", "content-length", "content-disposition"):
        assert head.headers[name] == got.headers[name]


def test_an_empty_list_still_has_its_header(client):
    response = client.get("/pairings.csv", params={"q": "no such text anywhere 无此文字"})
    assert response.status_code == 200
    frame = pd.read_csv(io.BytesIO(response.content))
    assert frame.empty and {"id", "supporter", "supporter_label", "fields"} <= set(frame.columns)


@pytest.mark.parametrize("url", ["/pairings.csv?year=abc", "/pairings?format=csv&year=abc", "/actors.csv?limit=0"])
def test_errors_stay_json(client, url):
    response = client.get(url)
    assert response.status_code == 422 and response.headers["content-type"].startswith("application/json")
    assert response.json()["detail"]


def test_an_unknown_format_is_a_422_naming_it(client):
    response = client.get("/pairings", params={"format": "xlsx"})
    assert response.status_code == 422 and response.json()["parameter"] == "format"


def test_governance_items_as_csv(client):
    pairing = client.get("/pairings", params={"limit": 1}).json()["items"][0]["id"]
    body = client.get(f"/pairings/{pairing}/instruments").json()
    response = client.get(f"/pairings/{pairing}/instruments.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert [r["id"] for r in rows(response)] == [i["id"] for i in body["items"]]
    assert client.get(f"/pairings/{pairing}/instruments", params={"format": "csv"}).content == response.content


def test_the_openapi_document_enumerates_format(client):
    document = client.get("/openapi.json").json()
    for path in [*LISTINGS, "/pairings/{id}/instruments"]:
        parameters = {p["name"]: p for p in document["paths"][path]["get"]["parameters"]}
        assert parameters["format"]["schema"]["enum"] == ["json", "csv"], path
        assert parameters["bom"]["schema"]["type"] == "boolean"
        if path in LISTINGS:
            described = parameters["facet"]["description"]
            assert all(name in described for name in graph_facets.FACETS[LISTINGS[path][0]])


# ---- facets ------------------------------------------------------------------------------------
def _expected(client, body: dict, facet: str) -> Counter:
    """A facet of pairings counted from the items of the JSON answer (and the actors' levels)."""
    counts: Counter = Counter()
    levels = None
    if facet in ("level", "supporter_level", "recipient_level"):
        levels = {a["id"]: a["level"] for a in everything(client, "/actors")["items"]}
    for item in body["items"]:
        if facet == "programme":
            values = [item["programme"]["id"] if item["programme"] else None]
        elif facet == "field":
            values = item["fields"] or [None]
        elif facet in ("mode", "confidence", "kind"):
            values = [item[facet]]
        elif facet in ("supporter", "recipient"):
            values = [item[facet]["id"]]
        elif facet in ("supporter_level", "recipient_level"):
            values = [levels.get(item[facet.split("_")[0]]["id"])]
        else:  # level: both ends
            ends = [levels.get(item[end]["id"]) for end in ("supporter", "recipient")]
            values = [graph_facets.ARROW.join(ends) if all(ends) else None]
        counts.update(values)
    return counts


@pytest.mark.parametrize("filters", [{}, {"field": "medical"}, {"programme": "P-XJ-2010"}, {"min_confidence": "high"}])
def test_pairing_facets_count_every_item_the_filters_keep(client, filters):
    names = list(graph_facets.FACETS["pairing"])
    paged = client.get("/pairings", params={**filters, "limit": 1, "facet": ",".join(names)})
    assert paged.status_code == 200
    answer = paged.json()
    schemas.FilteredPage[schemas.PairingItem].model_validate(answer)
    assert len(answer["items"]) == 1 and set(answer["facets"]) == set(names)
    body = everything(client, "/pairings", **filters)
    for name in names:
        got = answer["facets"][name]
        assert Counter({v["value"]: v["count"] for v in got}) == _expected(client, body, name), name
        keys = [(-v["count"], v["value"] is None, v["value"] or "") for v in got]
        assert keys == sorted(keys), f"{name}: by count, then value"
        if name != "field":  # single-valued: every item is counted once
            assert sum(v["count"] for v in got) == body["total"]


def test_facets_comma_separated_or_repeated(client):
    comma = client.get("/pairings?facet=field,mode&limit=1").json()["facets"]
    repeated = client.get("/pairings?facet=field&facet=mode&limit=1").json()["facets"]
    assert comma == repeated and list(comma) == ["field", "mode"]
    assert "facets" not in client.get("/pairings?limit=1").json()


@pytest.mark.parametrize("path", LISTINGS)
def test_every_listing_counts_its_facets(client, path):
    of, model = LISTINGS[path]
    names = list(graph_facets.FACETS[of])
    answer = client.get(path, params={"facet": names, "limit": 2}).json()
    model.model_validate(answer)
    assert list(answer["facets"]) == names
    for name, values in answer["facets"].items():
        assert values and all(v["count"] > 0 and v["label_zh"] and v["label_en"] for v in values), name
        assert sum(v["count"] for v in values) >= answer["total"], name


@pytest.mark.parametrize("path", LISTINGS)
def test_an_unknown_facet_is_a_422_listing_the_known_ones(client, path):
    response = client.get(path, params={"facet": "programme,colour"})
    if "programme" not in graph_facets.FACETS[LISTINGS[path][0]]:
        response = client.get(path, params={"facet": "colour"})
    assert response.status_code == 422
    body = response.json()
    assert body["parameter"] == "facet" and "colour" in body["detail"]
    assert all(name in body["detail"] for name in graph_facets.FACETS[LISTINGS[path][0]])


def test_facet_labels_come_from_the_graphs_vocabularies(client):
    """The labels of field, mode, level and confidence values are the vocabularies' (GET /vocabulary), in
    both languages; a programme's are the programme's own."""
    vocabulary = {
        v["name"]: {x["value"]: x for x in v["values"]} for v in client.get("/vocabulary").json()["vocabularies"]
    }
    answer = client.get("/pairings?facet=field,mode,supporter_level,confidence,programme&limit=1").json()["facets"]
    for facet, column in [
        ("field", "field"),
        ("mode", "mode"),
        ("supporter_level", "level"),
        ("confidence", "confidence"),
    ]:
        for value in answer[facet]:
            if value["value"] is None:
                continue
            known = vocabulary[column][value["value"]]
            assert (value["label_zh"], value["label_en"]) == (known["label_zh"], known["label_en"]), value
    assert any(v["label_zh"] != v["value"] for v in answer["field"]), "Chinese labels, not codes"
    programmes = {p["id"]: p for p in everything(client, "/programmes")["items"]}
    for value in answer["programme"]:
        if value["value"] is not None:
            assert value["label_zh"] == programmes[value["value"]]["label_zh"]
    zh = client.get("/pairings?facet=field&limit=1", headers={"Accept-Language": "zh"}).json()["facets"]["field"]
    assert all(v["label"] == v["label_zh"] for v in zh)


def test_facets_with_csv_leave_the_csv_as_items(client):
    response = client.get("/instruments.csv", params={"facet": "kind,type", **ALL})
    total = client.get("/instruments").json()["total"]
    assert len(rows(response)) == total


def test_instrument_facets_agree_with_the_items(client):
    body = everything(client, "/instruments")
    answer = client.get("/instruments", params={"facet": "kind,type", "limit": 1}).json()["facets"]
    for name in ("kind", "type"):
        expected = Counter(item[name] for item in body["items"])
        assert Counter({v["value"]: v["count"] for v in answer[name]}) == expected
