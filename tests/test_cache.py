"""Work done once: answers cached per dataset version, the read model saved beside an on-disk store.
The cache is a middleware of the service: its tests ask an app in this process, one with a cache of
its own (what other tests asked is not in it)."""
from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from api.cache import AnswerCache
from api.answers import Answers, Shared
from graph.readmodel import SAVED_FILE, ReadModel
from graph.store import Engine
from graph.versions import write_store


def test_the_cache_keeps_the_most_recently_used_answers_within_its_bytes():
    cache = AnswerCache(max_bytes=100, entry_bytes=60)
    headers = [(b"content-type", b"x")]  # 13 bytes
    cache.put(("a",), headers, b"1" * 27)  # 41 in all, with the key's one byte
    cache.put(("b",), headers, b"2" * 27)
    assert cache.get(("a",)) == (headers, b"1" * 27)  # a is now the most recent
    cache.put(("c",), headers, b"3" * 27)  # 123 > 100: b, the least recently used, goes
    assert cache.get(("b",)) is None and cache.get(("a",)) and cache.get(("c",))
    assert cache.size == 82 and len(cache) == 2
    cache.put(("big",), headers, b"4" * 60)  # over the entry limit: not kept
    assert cache.get(("big",)) is None and len(cache) == 2
    assert (cache.hits, cache.misses) == (3, 2)


@pytest.fixture(scope="module")
def cached():
    """The service in this process, on the curated data, with its own (default-sized) answer cache."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings
    settings = Settings(query_timeout=5, query_workers=1, heavy_workers=1, reload_interval=0, access_log=False)
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as client:
        yield client


def test_an_answer_asked_again_comes_from_the_cache_unchanged(cached):
    first = cached.get("/pairings/PR-0001/instruments")
    again = cached.get("/pairings/PR-0001/instruments")
    assert first.status_code == again.status_code == 200
    assert "x-cache" not in first.headers and again.headers["x-cache"] == "hit"
    assert again.content == first.content
    strip = lambda r: sorted((k, v) for k, v in r.headers.multi_items() if k not in ("x-cache", "date"))  # noqa: E731
    assert strip(again) == strip(first)
    assert again.headers.get_list("x-dataset-version") == [first.headers["x-dataset-version"]]


def test_requests_that_differ_in_language_or_format_are_different_entries(cached):
    en = cached.get("/pairings/PR-0002", headers={"Accept-Language": "en"})
    zh = cached.get("/pairings/PR-0002", headers={"Accept-Language": "zh"})
    zh_again = cached.get("/pairings/PR-0002", headers={"Accept-Language": "zh"})
    turtle = cached.get("/id/pairing/PR-0002", headers={"Accept": "text/turtle"})
    ntriples = cached.get("/id/pairing/PR-0002", headers={"Accept": "application/n-triples"})
    assert en.json()["label"] != zh.json()["label"] and zh_again.json() == zh.json()
    assert "x-cache" not in zh.headers and zh_again.headers["x-cache"] == "hit"
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert ntriples.headers["content-type"].startswith("application/n-triples") and "x-cache" not in ntriples.headers


def test_errors_and_posts_are_never_cached(cached):
    for _ in range(2):
        missing = cached.get("/pairings/PR-NONE")
        assert missing.status_code == 404 and "x-cache" not in missing.headers
        bad = cached.get("/sparql", params={"query": "SELECT * WHERE {"})
        assert bad.status_code == 400 and "x-cache" not in bad.headers
        posted = cached.post("/sparql", data={"query": "ASK { ?s ?p ?o }"})
        assert posted.status_code == 200 and "x-cache" not in posted.headers


def test_a_sparql_answer_is_cached_with_its_headers(cached):
    query = "SELECT ?p WHERE { ?p a <https://w3id.org/pakg/ontology#Pairing> } LIMIT 3"
    first = cached.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    again = cached.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    other = cached.get("/sparql", params={"query": query + " # another request"}, headers={"Accept": "text/csv"})
    assert again.headers["x-cache"] == "hit" and again.text == first.text and len(first.text.splitlines()) == 4
    assert again.headers["x-row-cap"] == first.headers["x-row-cap"]
    assert "x-cache" not in other.headers and other.text == first.text


def test_the_cache_can_be_turned_off(monkeypatch):
    from fastapi.testclient import TestClient

    from api.app import create_app
    for name, value in (("CACHE_BYTES", "0"), ("QUERY_WORKERS", "1"), ("HEAVY_WORKERS", "0"), ("ACCESS_LOG", "0")):
        monkeypatch.setenv(f"PAKG_{name}", value)  # read as `pakg serve` reads them
    with TestClient(create_app()) as client:
        responses = [client.get("/pairings/PR-0001/instruments") for _ in range(3)]
    assert all(r.status_code == 200 and "x-cache" not in r.headers for r in responses)


# ---- the read model saved beside an on-disk store ------------------------------------------

def answers(model: ReadModel) -> list:
    made = Answers(model)
    return [made.pairing_instruments("PR-0001"), made.pairing_instruments("PR-CASE-L"),
            [p.iri for p in model.find_pairings(recipient="Hotan Prefecture")],
            made.actor_detail("jiangsu"), made.source_item(next(iter(model.items("source"))))]


def test_a_store_opens_with_its_saved_read_model(built, base, tmp_path, monkeypatch):
    write_store(built, tmp_path / "store")
    directory = Path(os.path.realpath(tmp_path / "store"))
    assert (directory / SAVED_FILE).is_file()
    engine = Engine.open(directory)
    fresh = ReadModel(engine, base)
    monkeypatch.setattr(ReadModel, "__init__", lambda *_: pytest.fail("the saved read model was not used"))
    saved = ReadModel.open(engine, base, directory)
    assert answers(saved) == answers(fresh)


@pytest.mark.parametrize("damage", ["other base", "other version", "corrupt"])
def test_a_read_model_saved_for_something_else_is_rebuilt(built, base, tmp_path, damage, monkeypatch):
    original = ReadModel.__init__
    write_store(built, tmp_path / "store")
    directory = Path(os.path.realpath(tmp_path / "store"))
    saved = directory / SAVED_FILE
    if damage == "corrupt":
        saved.write_bytes(b"not a pickle")
    else:
        (code, version, saved_base), state = pickle.loads(saved.read_bytes())
        tag = (code, version, "https://example.org/") if damage == "other base" else (code, "0" * 12, saved_base)
        saved.write_bytes(pickle.dumps((tag, state)))
    engine = Engine.open(directory)
    built_anew = []
    monkeypatch.setattr(ReadModel, "__init__", lambda self, *args: built_anew.append(args) or original(self, *args))
    model = ReadModel.open(engine, base, directory)
    assert built_anew == [(engine, base)]  # built anew from the store
    assert model.base == base and model.version == engine.version
    assert answers(model) == answers(ReadModel(engine, base))


def test_the_explorer_files_are_served_from_disk_not_kept(cached):
    pages = [cached.get("/") for _ in range(2)]
    assert all(p.status_code == 200 and "x-cache" not in p.headers for p in pages)


def test_parts_shared_between_answers_are_read_only_and_localised_once(engine, base):
    from api.deps import localise
    made = Answers(ReadModel(engine, base))
    pairing = next(p for p in made.model.pairings if made.pairing_instruments(p.id)["items"])
    first, again = made.pairing_instruments(pairing.id)["items"], made.pairing_instruments(pairing.id)["items"]
    def through(items):  # the first route's resource: a reference shared by every answer that names it
        return items[0]["routes"][0]["through"]

    shared = through(first)
    assert type(shared) is Shared and through(again) is shared  # built once, shared
    with pytest.raises(TypeError):
        shared["label_en"] = "changed by one answer"
    with pytest.raises(TypeError):
        shared.update(label_en="changed")
    assert pickle.loads(pickle.dumps(shared)) == shared
    en, zh = localise(first, "en"), localise(again, "zh")
    assert through(en)["label"] == shared["label_en"] and through(zh)["label"] == shared["label_zh"]
    assert through(localise(again, "en")) is through(en)  # localised once per language
    assert "label" not in shared and en[0] is not first[0]  # the shared parts are never changed


def test_pairings_found_through_the_position_index_are_those_a_scan_finds(engine, base):
    model = ReadModel(engine, base)
    actors = sorted({getattr(p, role) for p in model.pairings for role in ("supporter", "recipient")}
                    | {r.iri for r in model.resources.values() if r.kind == "actor" and model.children.get(r.iri)})
    checked = 0
    for actor in actors:
        ident = actor.rsplit("/", 1)[-1]
        below = model.below(actor)
        for role in ("supporter", "recipient"):
            found = model.find_pairings(**{role: ident})
            assert found == [p for p in model.pairings if getattr(p, role) in below], (role, ident)
            checked += bool(found)
        both = model.find_pairings(supporter=ident, recipient=ident)
        assert both == [p for p in model.pairings if p.supporter in below and p.recipient in below]
    assert checked > 100
