"""Governance answers people can use (issue 16, point 3): one entry per instrument with every route by
which it applies and a reason in both languages; ``as_of``; the bulk form; filters by kind, type,
issuer, document number and date range (on /instruments too); instrument and article answers with
document number, issuer, date, linked articles, summaries in both languages and what the data lacks.
Expectations are read from the data tables and from the read model's rule, not written in."""
from __future__ import annotations

import csv
import re
import unicodedata

import pytest
from conftest import ROOT, table_rows
from pydantic import TypeAdapter

from api import schemas
from graph import governance
from graph.config import DATA_DIR
from graph.facets import count
from graph.readmodel import VIAS, ReadModel


@pytest.fixture(scope="module")
def model(engine, base):
    return ReadModel(engine, base)


def get(client, path: str, **params):
    response = client.get(path, params=params)
    assert response.status_code == 200, (path, params, response.text[:300])
    return response.json()


def year_of(text: str | None) -> int | None:
    return int(text[:4]) if text else None


def instrument_rows() -> dict[str, dict]:
    """Every instrument and article row of the tables, by id (an article's row with its law's
    issuers and document number, as an answer gives them)."""
    laws = {r["id"]: r for r in table_rows("instruments")}
    rows = dict(laws)
    for r in table_rows("provisions"):
        law = laws[r["instrument"]]
        rows[r["id"]] = {**r, "issuers": law["issuers"], "doc_number": law["doc_number"],
                         "date": r["date"] or law["date"], "in_force_from": "", "in_force_until": ""}
    return rows


# ---- one entry per instrument, every route --------------------------------------------------------

def test_every_pairing_lists_each_instrument_once_with_all_the_rules_rows(model):
    for pairing in model.pairing_by_iri:
        rows = model.governance_rows(pairing)
        found = governance.governance(model, model.split(pairing)[1])
        assert sorted(g.instrument for g in found.items) == sorted({r.instrument for r in rows}), pairing
        assert sum(len(g.routes) for g in found.items) == len(rows), pairing
        for g in found.items:
            assert [VIAS.index(r.via) for r in g.routes] == sorted(VIAS.index(r.via) for r in g.routes)


def test_a_sub_pairing_reports_distinct_instruments_with_both_routes(client, model):
    # the example: a pairing with a parent in the same programme reached each plan twice
    sub = next(p for p in model.pairings if p.parent and p.programme
               and model.pairing_by_iri[p.parent].programme == p.programme and model.governed_by.get(p.programme))
    body = get(client, f"/pairings/{sub.id}/instruments")
    ids = [i["id"] for i in body["items"]]
    assert len(ids) == len(set(ids)) == body["total"]
    assert body["total"] == len({r.instrument for r in model.governance_rows(sub.iri)})
    for iri in model.governed_by[sub.programme]:
        item = next(i for i in body["items"] if i["iri"] == iri)
        assert [r["via"] for r in item["routes"]] == ["programme", "parent-programme"]
        assert item["routes"][1]["parent"]["iri"] == sub.parent
        assert {r["programme"]["iri"] for r in item["routes"]} == {sub.programme}


def test_reasons_say_each_route_in_both_languages(client, model):
    seen_vias = set()
    for p in model.pairings[::7] + [model.pairing("PR-CASE-L"), model.pairing("PR-CASE-JK")]:
        body = get(client, f"/pairings/{p.id}/instruments")
        for item in body["items"]:
            for r in item["routes"]:
                seen_vias.add(r["via"])
                assert (r["via_label_zh"], r["via_label_en"]) == governance.VIA_LABELS[r["via"]]
                assert r["reason_en"].startswith("Applies because ") and r["reason_en"].endswith(".")
                assert r["reason_zh"].startswith("因") and r["reason_zh"].endswith("故适用。")
                assert r["reason_zh"].count("。") == 1 and r["reason_en"].count("Applies because") == 1
                # what the route names, except the pairing itself ("this pairing")
                named = [x for x in (r["through"], r["parent"], r["programme"], r["governed"])
                         if x and x["id"] != p.id]
                assert all(x["label_zh"] in r["reason_zh"] and x["label_en"] in r["reason_en"] for x in named)
                assert item["label_zh"] in r["reason_zh"] and item["label_en"] in r["reason_en"]
                if r["via"] == "programme":
                    prog, name = r["programme"], item
                    zh = f"因该结对属于{prog['label_zh']}，而{name['label_zh']}规范{prog['label_zh']}，故适用。"
                    assert r["reason_zh"] == zh
                    assert r["reason_en"] == (f"Applies because the pairing belongs to programme “{prog['label_en']}”, "
                                              f"which “{name['label_en']}” governs.")
            assert item["reason_zh"] == "".join(r["reason_zh"] for r in item["routes"])
            assert item["reason_en"] == " ".join(r["reason_en"] for r in item["routes"])
    assert seen_vias == set(VIAS)


# ---- as of a year ---------------------------------------------------------------------------------

def test_as_of_leaves_out_what_came_later_and_says_how_many(client):
    rows = instrument_rows()
    full = get(client, "/pairings/PR-0025/instruments")
    for year in (2010, 2012, 2016):
        body = get(client, "/pairings/PR-0025/instruments", as_of=year)
        assert body["as_of"] == year and body["active"] is True
        later = {i["id"] for i in full["items"]
                 if year_of(rows[i["id"]].get("in_force_from") or rows[i["id"]]["date"]) is not None
                 and year_of(rows[i["id"]].get("in_force_from") or rows[i["id"]]["date"]) > year}
        assert {i["id"] for i in body["items"]} == {i["id"] for i in full["items"]} - later
        assert body["left_out"]["dated_after_as_of"] == len(later) == full["total"] - body["total"]
        if later:
            assert str(len(later)) in body["note_en"] and str(year) in body["note_zh"]


def test_what_governed_shanghais_pairings_in_2012_leaves_out_the_later_symposia(client):
    pairings = get(client, "/pairings", supporter="shanghai", year=2012, limit=1000)["items"]
    assert pairings
    ids = ",".join(p["id"] for p in pairings)
    body = get(client, "/pairings/instruments", ids=ids, as_of=2012)
    assert [a["pairing"]["id"] for a in body["items"]] == [p["id"] for p in pairings]
    named = {i["id"] for a in body["items"] for i in a["items"]}
    assert named and not named & {"I-XJ-SYM-2014", "I-XJ-SYM-2020"}
    assert all(year_of(i["date"]) is None or year_of(i["date"]) <= 2012 or i["id"] == "I-REAL"
               for a in body["items"] for i in a["items"])


def test_a_pairing_not_active_in_the_year_gets_no_instruments_and_a_note(client):
    pairing = get(client, "/pairings/PR-0001")
    start = pairing["period"]["start"]
    full = get(client, "/pairings/PR-0001/instruments")
    body = get(client, "/pairings/PR-0001/instruments", as_of=start - 1)
    assert body["active"] is False and body["items"] == [] and body["total"] == 0
    assert body["left_out"]["pairing_not_active"] == full["total"]
    assert str(start) in body["note_zh"] and str(start - 1) in body["note_zh"]
    assert str(start) in body["note_en"] and "not active" in body["note_en"]
    assert get(client, "/pairings/PR-0001/instruments", as_of=start)["active"] is True


# ---- bulk -----------------------------------------------------------------------------------------

def test_bulk_answers_are_the_single_answers_in_the_order_asked(client):
    ids = ["PR-CASE-L", "PR-0001", "PR-0025"]
    singles = [get(client, f"/pairings/{i}/instruments", as_of=2016, kind="soft-law") for i in ids]
    by_get = get(client, "/pairings/instruments", ids=",".join(ids), as_of=2016, kind="soft-law")
    assert by_get == {"total": 3, "items": singles}
    repeated = client.get("/pairings/instruments", params=[("ids", i) for i in ids] + [("as_of", 2016),
                                                                                        ("kind", "soft-law")])
    assert repeated.json() == by_get
    posted = client.post("/pairings/instruments", json={"ids": ids, "as_of": 2016, "kind": "soft-law"})
    assert posted.status_code == 200 and posted.json() == by_get
    TypeAdapter(schemas.BulkInstruments).validate_python(by_get)


@pytest.mark.parametrize("method, payload, parameter", [
    ("get", {"ids": ",".join(f"PR-{n:04d}" for n in range(1, 202))}, "ids"),
    ("get", {"ids": "PR-0001,PR-9999"}, "ids"),
    ("get", {}, "ids"),
    ("get", {"ids": "PR-0001", "type": "poem"}, "type"),
    ("get", {"ids": "PR-0001", "date_from": "last year"}, "date_from"),
    ("post", {"ids": [f"PR-{n:04d}" for n in range(1, 202)]}, "ids"),
    ("post", {"ids": []}, "ids"),
    ("post", {"ids": ["PR-0001"], "kind": "medium-law"}, "kind"),
    ("post", {"ids": ["PR-0001"], "surprise": 1}, "surprise"),
])
def test_bulk_refuses_what_it_cannot_use_naming_the_parameter(client, method, payload, parameter):
    if method == "get":
        response = client.get("/pairings/instruments", params=payload)
    else:
        response = client.post("/pairings/instruments", json=payload)
    assert response.status_code == 422, response.text[:300]
    assert response.json()["parameter"] == parameter and response.json()["detail"]


# ---- filters ----------------------------------------------------------------------------------------

def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def listed(client, **params) -> set[str]:
    return {i["id"] for i in get(client, "/instruments", limit=1000, **params)["items"]}


def test_instruments_by_issuer_by_id_or_name(client):
    rows = table_rows("instruments")
    for issuer, name in (("npc", "全国人民代表大会"), ("state-council", "State Council"), ("xi-jinping", "习近平")):
        expected = {r["id"] for r in rows if issuer in r["issuers"].split(";")}
        assert expected and listed(client, issuer=issuer) == expected
        assert listed(client, issuer=name) == expected
    assert get(client, "/instruments", issuer="npc")["filters"]["issuer"] == "npc"
    assert client.get("/instruments", params={"issuer": "nobody-at-all"}).json()["parameter"] == "issuer"


def test_instruments_by_document_number_width_insensitive(client):
    rows = table_rows("instruments")
    expected = {r["id"] for r in rows if "国办发" in r["doc_number"]}
    assert len(expected) > 1 and listed(client, doc_number="国办发") == expected
    wc = next(r for r in rows if r["id"] == "I-WC-PLAN")["doc_number"]  # 国办发〔2008〕53号
    full_width = wc.replace("2008", "２００８")
    assert listed(client, doc_number=full_width) == {"I-WC-PLAN"}
    assert listed(client, doc_number=wc.replace("〔", "[").replace("〕", "]")) == {"I-WC-PLAN"}


@pytest.mark.parametrize("date_from, date_to", [("2010", "2012"), ("2008-06", "2008-06"), ("1990", None),
                                                (None, "1995-12-31")])
def test_instruments_by_date_range(client, date_from, date_to):
    low = governance.date_span(date_from)[0] if date_from else None
    high = governance.date_span(date_to)[1] if date_to else None
    expected = set()
    for r in table_rows("instruments"):
        span = governance.date_span(r["date"])
        if span and (low is None or span[1] >= low) and (high is None or span[0] <= high):
            expected.add(r["id"])
    params = {k: v for k, v in (("date_from", date_from), ("date_to", date_to)) if v}
    assert expected and listed(client, **params) == expected


def test_filters_combine_on_a_pairing_and_refuse_bad_values(client):
    full = get(client, "/pairings/PR-0001/instruments")
    by_type = get(client, "/pairings/PR-0001/instruments", type="leadership-directive")
    speeches = {i["id"] for i in full["items"] if i["type"] == "leadership-directive"}
    assert speeches and {i["id"] for i in by_type["items"]} == speeches
    soft_cpc = get(client, "/pairings/PR-0001/instruments", kind="soft-law", issuer="cpc-central-committee",
                   date_from="2014")
    assert soft_cpc["items"] and all(
        i["kind"] == "soft-law" and "cpc-central-committee" in {x["id"] for x in i["issuers"]}
        and year_of(i["date"]) >= 2014 for i in soft_cpc["items"])
    assert soft_cpc["filters"] == {"kind": "soft-law", "type": None, "issuer": "cpc-central-committee",
                                   "doc_number": None, "date_from": "2014", "date_to": None}
    for params, parameter in (({"date_to": "2014-13"}, "date_to"),
                              ({"date_from": "2015", "date_to": "2010"}, "date_to"),
                              ({"kind": "medium-law"}, "kind"), ({"as_of": 1066}, "as_of"),
                              ({"issuer": "nobody-at-all"}, "issuer")):
        response = client.get("/pairings/PR-0001/instruments", params=params)
        assert response.status_code == 422 and response.json()["parameter"] == parameter, (params, response.text)


# ---- instrument and article answers ----------------------------------------------------------------

def test_instrument_answers_give_number_issuer_date_summaries_and_what_is_missing(client):
    rows = instrument_rows()
    for ident, row in rows.items():
        body = get(client, f"/instruments/{ident}")
        TypeAdapter(schemas.InstrumentDetail | schemas.ProvisionDetail).validate_python(body)
        issuers = sorted(row["issuers"].split(";")) if row["issuers"] else []
        assert [i["id"] for i in body["issuers"]] == issuers, ident
        assert (body["issuer"] or {}).get("id") == (issuers[0] if issuers else None)
        assert body["doc_number"] == (row["doc_number"] or None)
        assert body["date"] == (row["date"] or None)
        assert body["summary_en"] == (row["summary_en"] or None) and body["summary_zh"] == (row["summary_zh"] or None)
        have = {"doc_number": row["doc_number"], "issuer": row["issuers"] or row.get("issuer_text"),
                "date": row["date"], "summary_zh": row["summary_zh"], "summary_en": row["summary_en"]}
        assert body["missing"] == [k for k in governance.DESCRIBED if not have[k]], ident


def test_articles_are_linked_from_their_law_and_link_back_with_the_laws_issuer(client):
    for law in {r["instrument"] for r in table_rows("provisions")}:
        body = get(client, f"/instruments/{law}")
        assert body["provisions"]
        for article in body["provisions"]:
            assert article["url"] == f"/instruments/{article['id']}"
            back = get(client, article["url"])
            assert back["part_of"]["id"] == law and back["part_of"]["url"] == f"/instruments/{law}"
            assert [i["id"] for i in back["issued_by"]] == [i["id"] for i in body["issued_by"]]
            assert back["issuer"] == body["issuer"] and back["issuer"] is not None
    constitution_article = get(client, "/instruments/I-CONST-4")
    assert constitution_article["issuer"]["id"] == "npc"  # the page showed "—": the article had no issuer


def test_every_summary_has_a_chinese_translation_that_adds_no_year(client):
    for row in table_rows("instruments") + table_rows("provisions"):
        assert bool(row["summary_zh"]) == bool(row["summary_en"]), row["id"]
        if row["summary_zh"]:
            assert re.search(r"[\u4e00-\u9fff]", row["summary_zh"]), row["id"]
            years = set(re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", row["summary_zh"]))
            assert years <= set(re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", row["summary_en"])), row["id"]
    # the reviewed translations the reference import reads are of today's English summaries
    with (ROOT / "tools" / "summaries_zh.csv").open(encoding="utf-8", newline="") as fh:
        reviewed = {r["id"]: r for r in csv.DictReader(fh)}
    for row in (r for p in sorted(DATA_DIR.glob("reference/*.csv")) if p.stem in ("instruments", "provisions")
                for r in csv.DictReader(p.open(encoding="utf-8"))):
        if row["summary_en"]:
            assert reviewed[row["id"]]["summary_en"] == row["summary_en"]
            assert reviewed[row["id"]]["summary_zh"] == row["summary_zh"]


# ---- facets and the contract ------------------------------------------------------------------------

def test_instrument_facets_count_every_instrument(model):
    items = model.items("instrument")
    facets = count(model, "instrument", items, governance.INSTRUMENT_FACETS)
    for name in ("kind", "doc_number", "decade", "confidence"):
        assert sum(v["count"] for v in facets[name]) == len(items), name
    with_number = {r.iri for r in items if governance.instrument_facet_values(model, r.iri)["doc_number"][0][0] == "with"}
    assert next(v["count"] for v in facets["doc_number"] if v["value"] == "with") == len(with_number)
    listed = {r.id for r in items}
    rows = {k: r for k, r in instrument_rows().items() if k in listed}
    assert {model.split(i)[1] for i in with_number} == {k for k, r in rows.items() if r["doc_number"]}
    dated = {f"{int(r['date'][:4]) // 10 * 10}s" for r in rows.values() if (r.get("date") or "")[:4].isdigit()}
    assert dated <= {v["label_en"] for v in facets["decade"]}
    counts = [v["count"] for v in facets["issuer"]]
    assert counts == sorted(counts, reverse=True) and all(v["label_zh"] and v["label_en"] for v in facets["issuer"])


def test_the_openapi_document_declares_the_governance_questions(client):
    spec = client.get("/openapi.json").json()
    single = spec["paths"]["/pairings/{id}/instruments"]["get"]
    params = {p["name"]: p for p in single["parameters"]}
    assert {"as_of", "kind", "type", "issuer", "doc_number", "date_from", "date_to"} <= set(params)

    def enum(p):
        schema = p["schema"]
        return next(part["enum"] for part in (schema, *schema.get("anyOf", [])) if part.get("enum"))

    assert enum(params["kind"]) == ["hard-law", "soft-law"] and "central-policy" in enum(params["type"])
    bulk = spec["paths"]["/pairings/instruments"]
    assert {"get", "post"} <= set(bulk) and "requestBody" in bulk["post"]
    listing = {p["name"] for p in spec["paths"]["/instruments"]["get"]["parameters"]}
    assert {"kind", "type", "issuer", "doc_number", "date_from", "date_to"} <= listing


def test_with_stated_years_only_a_pairing_active_only_by_inferred_years_gets_none(client, model):
    p = next(p for p in model.pairings if p.start is not None and p.start_basis != "stated"
             and model.governance_rows(p.iri))
    full = get(client, f"/pairings/{p.id}/instruments")
    body = get(client, f"/pairings/{p.id}/instruments", as_of=p.start, stated_years_only="true")
    assert body["active"] is False and body["items"] == []
    assert body["left_out"]["years_not_stated"] == full["total"] and body["left_out"]["pairing_not_active"] == 0
    assert "inferred" in body["note_en"] and "推定" in body["note_zh"]
    assert get(client, f"/pairings/{p.id}/instruments", as_of=p.start)["active"] is True
