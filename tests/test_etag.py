"""HTTP caching (issue 16, point 5): every GET answer that depends only on the dataset version has an
``ETag`` (the dataset version and the answer's key) and ``Cache-Control: public, max-age=…``; a matching
``If-None-Match`` (strong, weak ``W/``, in a list, or ``*``) is a 304 without a body.  Done once, in
``api/cache.py``'s middleware: the routes are walked from the OpenAPI document, not listed here."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from conftest import table_rows

from api.cache import ANY, entity_tag, etag_opaque, if_none_match

QUERY = "SELECT ?p WHERE { ?p a <https://w3id.org/pakg/ontology#Pairing> } LIMIT 2"


def _first(table: str) -> str:
    return table_rows(table)[0]["id"]


def example_paths() -> list[str]:
    """A GET of each kind of answer: REST, networks, analyses, exports, entity pages, SPARQL, panel …"""
    pairing, actor, instrument = _first("pairings"), _first("actors"), _first("instruments")
    return [
        f"/pairings/{pairing}",
        f"/pairings/{pairing}/instruments",
        f"/actors/{actor}",
        f"/instruments/{instrument}",
        "/network?format=graphml&level=province",
        "/network?format=csv&table=nodes",
        "/analysis/degree?level=province",
        "/export?format=turtle&graph=ontology",
        f"/id/pairing/{pairing}",
        "/sparql?query=" + QUERY.replace(" ", "+").replace("#", "%23"),
    ]


def every_get(client) -> list[str]:
    """Every GET route of the OpenAPI document without a path parameter, and the examples."""
    spec = client.get("/openapi.json").json()
    plain = [p for p, ops in spec["paths"].items() if "get" in ops and "{" not in p and p != "/health"]
    return [*plain, *example_paths()]


def test_every_get_answer_has_an_etag_and_cache_control(client):
    version = client.get("/health").headers["x-dataset-version"]
    checked = 0
    for path in every_get(client):
        r = client.get(path)
        if r.status_code != 200:
            assert "etag" not in r.headers, path  # only answers are tagged
            continue
        checked += 1
        tag = r.headers.get("etag")
        assert tag and tag.startswith(f'"{version}-') and tag.endswith('"'), (path, tag)
        assert r.headers["cache-control"].startswith("public, max-age="), path
        assert int(r.headers["cache-control"].split("=", 1)[1]) > 0
        assert "Accept" in r.headers["vary"]
    assert checked >= 20


@pytest.mark.parametrize("path", example_paths())
def test_a_matching_if_none_match_is_a_304_in_every_form(client, path):
    first = client.get(path)
    assert first.status_code == 200, (path, first.text[:200])
    tag = first.headers["etag"]
    again = client.get(path)
    assert again.headers["etag"] == tag  # the same answer, the same tag
    for condition in (tag, f"W/{tag}", f'"other", {tag}', f'W/"other",W/{tag}', "*"):
        r = client.get(path, headers={"If-None-Match": condition})
        assert r.status_code == 304, (path, condition, r.status_code)
        assert r.content == b"" and r.headers["etag"] == tag and r.headers["cache-control"].startswith("public")
        assert "Accept" in r.headers["vary"] and r.headers["x-dataset-version"]
    for condition in ('"other"', 'W/"other"', "not a tag", tag[:-2] + '"'):
        r = client.get(path, headers={"If-None-Match": condition})
        assert r.status_code == 200 and r.content == first.content, (path, condition)


def test_the_tag_follows_what_decides_the_answer(client):
    path = f"/pairings/{_first('pairings')}"
    en = client.get(path, headers={"Accept-Language": "en"}).headers["etag"]
    zh = client.get(path, headers={"Accept-Language": "zh"}).headers["etag"]
    also_zh = client.get(path, headers={"Accept-Language": "zh-CN,zh;q=0.9"}).headers["etag"]
    assert en != zh == also_zh
    page = f"/id/pairing/{_first('pairings')}"
    turtle = client.get(page, headers={"Accept": "text/turtle"})
    ntriples = client.get(page, headers={"Accept": "application/n-triples"})
    assert turtle.headers["etag"] != ntriples.headers["etag"]
    # a tag of another representation does not match: the 200 is sent
    other = client.get(page, headers={"Accept": "text/turtle", "If-None-Match": ntriples.headers["etag"]})
    assert other.status_code == 200 and other.content == turtle.content
    assert client.get("/network?level=province").headers["etag"] != client.get("/network?level=county").headers["etag"]


def test_errors_posts_and_the_health_check_are_not_tagged(client):
    missing = client.get("/pairings/PR-NONE")
    bad = client.get("/network", params={"level": "galaxy"})
    posted = client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"})
    for r in (missing, bad, posted):
        assert "etag" not in r.headers and "public" not in r.headers.get("cache-control", ""), r.status_code
    assert (missing.status_code, bad.status_code, posted.status_code) == (404, 422, 200)
    health = client.get("/health")
    assert "etag" not in health.headers and health.headers["cache-control"] == "no-store"
    # If-None-Match: * matches an answer there is, not an error
    assert client.get("/pairings/PR-NONE", headers={"If-None-Match": "*"}).status_code == 404
    assert client.get("/network", params={"level": "galaxy"}, headers={"If-None-Match": "*"}).status_code == 422


def test_a_304_is_answered_without_computing_the_answer(client):
    cache = client.app.state.dataset.current.cache
    path = "/analysis/pagerank?level=county"
    tag = client.get(path).headers["etag"]
    before = (cache.hits, cache.misses) if cache is not None else None
    assert client.get(path, headers={"If-None-Match": tag}).status_code == 304
    if cache is not None:
        assert (cache.hits, cache.misses) == before  # not even looked up


def test_tags_and_304s_without_the_answer_cache(monkeypatch):
    from fastapi.testclient import TestClient

    from api.app import create_app

    for name, value in (
        ("CACHE_BYTES", "0"),
        ("CACHE_MAX_AGE", "42"),
        ("QUERY_WORKERS", "1"),
        ("HEAVY_WORKERS", "0"),
        ("ACCESS_LOG", "0"),
        ("RELOAD_INTERVAL", "0"),
    ):
        monkeypatch.setenv(f"PAKG_{name}", value)
    with TestClient(create_app()) as uncached:
        first = uncached.get("/programmes")
        assert first.status_code == 200 and "x-cache" not in first.headers
        assert first.headers["cache-control"] == "public, max-age=42"
        r = uncached.get("/programmes", headers={"If-None-Match": f"W/{first.headers['etag']}"})
        assert r.status_code == 304 and r.content == b""
        assert uncached.get("/programmes", headers={"If-None-Match": "*"}).status_code == 304


def test_the_tag_changes_with_the_dataset_version():
    settings = SimpleNamespace(model_dump_json=lambda **_: "{}")
    key = (b"/pairings", b"", b"- json", b"en")
    one = entity_tag(SimpleNamespace(engine=SimpleNamespace(version="aaaa"), settings=settings), key)
    two = entity_tag(SimpleNamespace(engine=SimpleNamespace(version="bbbb"), settings=settings), key)
    assert one.startswith(b'"aaaa-') and two.startswith(b'"bbbb-') and one[6:] == two[6:]
    other = entity_tag(
        SimpleNamespace(engine=SimpleNamespace(version="aaaa"), settings=settings),
        (b"/pairings", b"limit=5", b"- json", b"en"),
    )
    assert other != one


@pytest.mark.parametrize(
    "header,expected",
    [
        ('"a"', {'"a"'}),
        ('W/"a", "b"', {'"a"', '"b"'}),
        ('  W/"a" ,W/"b"  ', {'"a"', '"b"'}),
        ("*", ANY),
        ('"a", *', ANY),
        ("junk, W/junk", set()),
    ],
)
def test_if_none_match_is_read_as_rfc_9110_says(header, expected):
    assert if_none_match([(b"if-none-match", header.encode())]) == frozenset(expected)
    assert if_none_match([]) is None
    assert etag_opaque(b'W/"x"') == etag_opaque(b'"x"') == '"x"'


def test_a_real_server_answers_304_over_http(server):
    import httpx

    path = f"{server}/pairings/{_first('pairings')}"
    first = httpx.get(path, timeout=30)
    assert first.status_code == 200 and first.headers["etag"]
    again = httpx.get(path, headers={"If-None-Match": first.headers["etag"]}, timeout=30)
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == first.headers["etag"]
    assert again.headers["x-dataset-version"] == first.headers["x-dataset-version"]
    head = httpx.head(path, timeout=30)
    assert head.status_code in (200, 405) and (head.status_code != 200 or head.headers["etag"] == first.headers["etag"])
