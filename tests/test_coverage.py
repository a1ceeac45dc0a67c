"""/coverage, the facts filter of the REST lists, the basis of years, source titles, merged ids and
which source gives which fact — answered by the service on a tiny graph (``test_questions.TINY``)."""
from __future__ import annotations

import pytest
from pydantic import TypeAdapter
from test_questions import TINY_BASE, tiny_model

from api import schemas


@pytest.fixture(scope="module")
def tiny_client():
    from types import SimpleNamespace

    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from api.answers import Answers
    from api.app import add_error_handlers
    from api.deps import snapshot
    from api.routers import coverage, entities, rest

    model = tiny_model()
    app = FastAPI()
    add_error_handlers(app)
    for module in (rest, entities, coverage):
        app.include_router(module.router)
    snap = SimpleNamespace(model=model, engine=model.engine, answers=Answers(model), base=TINY_BASE)
    app.dependency_overrides[snapshot] = lambda: snap
    return TestClient(app)


def test_coverage_puts_what_the_graph_holds_beside_what_sources_say(tiny_client):
    body = tiny_client.get("/coverage", headers={"Accept-Language": "zh"}).json()
    TypeAdapter(schemas.CoverageReport).validate_python(body)
    [programme] = body["programmes"]
    assert programme["programme"]["id"] == "P-1"
    holds = programme["holds"]
    assert (holds["pairings"], holds["supporters"], holds["recipients"]) == (3, 1, 1)
    assert holds["by_confidence"] == {"high": 1, "medium": 1, "low": 1, "none": 0}
    assert holds["resting_only_on"]["fiction-forum"] == 1 and holds["resting_only_on"]["official"] == 1
    assert holds["start_basis"]["stated"] == 1 and holds["start_basis"]["programme"] == 1
    assert holds["start_basis"]["later-source"] == 1
    assert holds["end_basis"] == {**holds["end_basis"], "programme": 1, "continued": 1, "stated": 1}
    [statement] = programme["statements"]
    assert (statement["stated_supporters"], statement["stated_recipients"], statement["statement_en"]) == (
        2, 3, "Two provinces")
    assert statement["sources"][0]["title"] == "A plan" and statement["sources"][0]["kind"] == "official"
    [gap] = programme["gaps"]
    assert gap["label"] == "缺名单" and gap["about"][0]["id"] == "P-1"
    assert body["other_gaps"] == [] and body["total"]["pairings"] == 3
    assert body["without_programme"]["pairings"] == 0


def test_pairings_say_the_basis_of_each_year_in_a_field_and_in_words(tiny_client):
    body = tiny_client.get("/pairings", headers={"Accept-Language": "en"}).json()
    TypeAdapter(schemas.FilteredPage[schemas.PairingItem]).validate_python(body)
    periods = {p["id"]: p["period"] for p in body["items"]}
    assert periods["PR-1"] == {"start": 2012, "start_basis": "stated", "end": 2020, "end_basis": "programme",
                               "label_zh": "2012年至2020年（据所属计划推定）",
                               "label_en": "2012 to 2020 (inferred from the programme)",
                               "label": "2012 to 2020 (inferred from the programme)"}
    assert periods["PR-2"]["label_en"] == (
        "since 2010 (inferred from the programme); continued after its programme ended")
    assert periods["PR-2"]["label_zh"] == "自2010年（据所属计划推定）；所属计划结束后仍在继续"
    assert periods["PR-3"]["label_en"] == "2016 (inferred from a later source) to 2021"
    source = next(p for p in body["items"] if p["id"] == "PR-1")["sources"][0]
    assert source == {"id": "S-GOV", "iri": TINY_BASE + "source/S-GOV", "title": "A plan", "kind": "official",
                      "publisher": "Gov", "date": "2010-05", "url": "https://gov.example/plan",
                      "original_outlet": None}


def test_lists_leave_out_facts_and_say_what_they_left_out(tiny_client):
    everything = tiny_client.get("/pairings").json()
    assert everything["total"] == 3 and everything["facts"] == {
        "min_confidence": None, "exclude_source_kinds": [], "stated_years_only": False}
    assert everything["left_out"] == {"below_confidence": 0, "only_excluded_sources": 0, "years_not_stated": 0}
    asked = {"exclude_source_kind": ["fiction-forum"], "min_confidence": "low"}
    body = tiny_client.get("/pairings", params=asked).json()
    assert [p["id"] for p in body["items"]] == ["PR-1", "PR-3"]
    assert body["left_out"]["only_excluded_sources"] == 1
    assert body["facts"]["exclude_source_kinds"] == ["fiction-forum"] and body["facts"]["min_confidence"] == "low"
    body = tiny_client.get("/pairings", params={"year": 2018, "stated_years_only": "true"}).json()
    assert body["total"] == 0 and body["left_out"]["years_not_stated"] == 3
    body = tiny_client.get("/actors", params={"min_confidence": "high"}).json()
    TypeAdapter(schemas.FilteredPage[schemas.ActorItem]).validate_python(body)
    assert body["total"] == 2 and body["left_out"]["below_confidence"] == 0
    body = tiny_client.get("/programmes", params={"min_confidence": "low"}).json()
    assert body["total"] == 0 and body["left_out"]["below_confidence"] == 1  # it states no confidence
    body = tiny_client.get("/pairings/PR-1/instruments", params={"min_confidence": "high"}).json()
    TypeAdapter(schemas.PairingInstruments).validate_python(body)
    assert body["facts"]["min_confidence"] == "high"


@pytest.mark.parametrize("path", ["/pairings", "/actors", "/instruments", "/programmes", "/pairings/PR-1/instruments"])
@pytest.mark.parametrize("params, parameter", [
    ({"min_confidence": "certain"}, "min_confidence"),
    ({"exclude_source_kind": ["blog"]}, "exclude_source_kind"),
    ({"stated_years_only": "perhaps"}, "stated_years_only"),
])
def test_a_bad_facts_parameter_is_a_422_naming_it(tiny_client, path, params, parameter):
    response = tiny_client.get(path, params=params)
    assert response.status_code == 422, response.text
    assert response.json()["parameter"] == parameter


def test_a_retired_actor_id_moves_to_the_survivor(tiny_client):
    for path, target in (("/actors/b-old", "/actors/b"), ("/id/actor/b-old", "/id/actor/b"),
                         ("/id/actor/b-old?format=turtle", "/id/actor/b?format=turtle")):
        response = tiny_client.get(path, follow_redirects=False)
        assert response.status_code == 301 and response.headers["location"] == target, path
    assert tiny_client.get("/actors/b-old").json()["id"] == "b"
    assert tiny_client.get("/pairings", params={"recipient": "b-old"}).json()["total"] == 3


def test_an_actor_says_which_source_gives_which_fact(tiny_client):
    body = tiny_client.get("/actors/a").json()
    TypeAdapter(schemas.ActorDetail).validate_python(body)
    [fact] = body["attributions"]
    assert (fact["name"], fact["value"], [s["title"] for s in fact["sources"]]) == ("gbCode", "650000", ["A plan"])
    page = tiny_client.get("/id/actor/a", params={"format": "html"}).text
    assert "gbCode — 来源 source" in page and "A plan (official, Gov, 2010-05)" in page
    turtle = tiny_client.get("/id/actor/a", params={"format": "ntriples"}).text
    assert f"<{TINY_BASE}fact/a-gb_code-1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject>" in turtle
    assert '<http://purl.org/dc/terms/title> "A plan"' in turtle


def test_a_source_shows_its_kind_date_and_original_outlet(tiny_client):
    body = tiny_client.get("/sources/S-NOVEL").json()
    TypeAdapter(schemas.SourceDetail).validate_python(body)
    assert (body["kind"], body["original_outlet"], body["title"]) == ("fiction-forum", "Xinhua", "A web novel")
    listing = tiny_client.get("/sources").json()
    TypeAdapter(schemas.ListPage[schemas.SourceItem]).validate_python(listing)
    assert {s["id"]: s["kind"] for s in listing["items"]} == {"S-GOV": "official", "S-NOVEL": "fiction-forum"}
