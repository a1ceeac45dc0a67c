"""How instruments relate, when they are in force, which programme replaced which, and the notes for users,
as the REST answers give them: the expectations are read from the data tables (data/curated/links.csv,
the instruments, programmes and actors tables), not written out here."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest

from graph.config import DATA_DIR

RELATIONS = ("based-on", "implements", "amends", "replaces", "repeals")


def rows(table: str) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for path in sorted(DATA_DIR.glob(f"*/{table}.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            out += csv.DictReader(fh)
    return out


def row(table: str, ident: str) -> dict[str, str]:
    found = [r for r in rows(table) if r["id"] == ident]
    assert len(found) == 1, (table, ident, len(found))
    return found[0]


def links() -> list[dict[str, str]]:
    with (DATA_DIR / "curated" / "links.csv").open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["predicate"] in RELATIONS]


def detail(client, ident: str) -> dict:
    """The detail answer of an instrument (or provision) or programme, by id."""
    for path in ("instruments", "programmes"):
        response = client.get(f"/{path}/{ident}")
        if response.status_code == 200:
            return response.json()
    raise AssertionError(f"no instrument or programme '{ident}'")


def test_links_table_has_typed_relations():
    assert links(), "data/curated/links.csv states no based-on/implements/amends/replaces/repeals link"


def test_relations_in_both_directions_as_the_links_table_states_them(client):
    expected: defaultdict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for link in links():
        expected[link["subject"]].add((link["predicate"], "outgoing", link["object"]))
        expected[link["object"]].add((link["predicate"], "incoming", link["subject"]))
    for ident, wanted in expected.items():
        answer = detail(client, ident)
        got = {(r["relation"], r["direction"], r["resource"]["id"]) for r in answer["relations"]}
        assert wanted <= got, (ident, wanted - got)
        for r in answer["relations"]:
            assert r["relation"] in RELATIONS
            assert r["resource"]["kind"] in ("instrument", "provision", "programme")
            assert r["resource"]["label_en"] and r["resource"]["label_zh"], r
            assert r["resource"]["iri"].endswith("/" + r["resource"]["id"])


def test_relations_are_those_of_the_links_table_only(client):
    """Every relation an answer gives is a row of the links table (no relation invented or mis-typed)."""
    stated = {(link["subject"], link["predicate"], link["object"]) for link in links()}
    for ident in {link["subject"] for link in links()} | {link["object"] for link in links()}:
        for r in detail(client, ident)["relations"]:
            other = r["resource"]["id"]
            triple = (ident, r["relation"], other) if r["direction"] == "outgoing" else (other, r["relation"], ident)
            assert triple in stated, (ident, r)


def test_relation_sources_and_confidence_where_the_graph_attributes_links(client):
    """Where the graph attributes a link (a statement node with its sources), the answer gives the sources
    and confidence of its row of the links table."""
    attributed = 0
    for link in links():
        answer = detail(client, link["subject"])
        [r] = [
            r
            for r in answer["relations"]
            if (r["relation"], r["direction"], r["resource"]["id"]) == (link["predicate"], "outgoing", link["object"])
        ]
        if not r["sources"]:
            continue
        attributed += 1
        assert {s["id"] for s in r["sources"]} == set(link["sources"].split(";")), r
        assert all(s["title"] for s in r["sources"]), r
        assert r["confidence"] == link["confidence"], r
    if not attributed:
        pytest.skip("the graph states the links without their own sources (no statement node per link)")


def test_instrument_in_force_dates(client):
    real = row("instruments", "I-REAL")
    answer = client.get("/instruments/I-REAL").json()
    assert real["in_force_from"], "I-REAL has no in_force_from in its table"
    assert answer["in_force_from"] == real["in_force_from"]
    assert answer["in_force_until"] == (real.get("in_force_until") or None)


def test_real_rests_on_the_constitution(client):
    relations = client.get("/instruments/I-REAL").json()["relations"]
    assert {"relation": "based-on", "direction": "outgoing", "id": "I-CONST"} in [
        {"relation": r["relation"], "direction": r["direction"], "id": r["resource"]["id"]} for r in relations
    ]
    basis_of = [r for r in client.get("/instruments/I-CONST").json()["relations"] if r["direction"] == "incoming"]
    assert "I-REAL" in {r["resource"]["id"] for r in basis_of if r["relation"] == "based-on"}


def test_programme_replaced_by_and_replaces(client):
    ew2016 = row("programmes", "P-EW-2016")
    assert ew2016["replaced_by"], "P-EW-2016 has no replaced_by in its table"
    answer = client.get("/programmes/P-EW-2016").json()
    assert [r["id"] for r in answer["replaced_by"]] == [ew2016["replaced_by"]]
    replaced = sorted(r["id"] for r in rows("programmes") if r.get("replaced_by") == "P-EW-2016")
    assert sorted(r["id"] for r in answer["replaces"]) == replaced
    successor = client.get(f"/programmes/{ew2016['replaced_by']}").json()
    assert "P-EW-2016" in {r["id"] for r in successor["replaces"]}


def test_actor_note(client):
    pi = row("actors", "pi-county")
    assert pi["note"], "pi-county has no note in its table"
    answer = client.get("/actors/pi-county").json()
    assert answer["note"] == pi["note"]
    assert "郫县" in answer["note"]


@pytest.mark.parametrize(
    ("path", "table"),
    [("instruments", "instruments"), ("programmes", "programmes"), ("pairings", "pairings")],
)
def test_detail_answers_carry_the_tables_note(client, path, table):
    """The first row of each table that has a note: its detail answer gives that note; one without
    gives null."""
    with_note = [r for r in rows(table) if r.get("note")]
    without = [r for r in rows(table) if not r.get("note") and r.get("sources")]
    assert with_note, table
    first = with_note[0]
    assert client.get(f"/{path}/{first['id']}").json()["note"] == first["note"]
    if without:
        assert client.get(f"/{path}/{without[0]['id']}").json()["note"] is None
