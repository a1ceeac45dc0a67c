"""No 5xx on any route: the service's own OpenAPI document is walked (in this process: conftest's
``client``), every GET route with the values its parameters enumerate and, in place of ids in its path,
hostile ones; every error answer is JSON with a `detail`.  And every analysis × view × level answers or
names what is wrong."""
from __future__ import annotations

import itertools
import math

import pytest

from graph import network
from graph.analyses import ANALYSES, compute_analysis
from graph.errors import BadParameter
from graph.readmodel import ReadModel

# ids as they appear in a URL (already percent-encoded; sent byte for byte): a space, <, ", {, \,
# a newline, NUL, a bare %, an encoded /, a very long one and a Chinese one
HOSTILE_IDS = ["a%20b", "%3C", "%22", "%7B", "%5C", "%0A", "%00", "%", "a%2Fb", "x" * 1000, "%E4%B8%AD%E6%96%87"]
BUDGET = 100  # requests per route for its combined parameters; past it, the rest are varied one at a time


def enumerated(parameter: dict) -> list[str] | None:
    """The values a parameter's schema enumerates (at its top or in an anyOf), or None."""
    schema = parameter.get("schema", {})
    for part in (schema, *schema.get("anyOf", [])):
        if part.get("enum"):
            return [str(v) for v in part["enum"]]
    return None


def cases(path: str, parameters: list[dict]) -> list[tuple[str, dict]]:
    """(URL path, query) pairs for one route: its path parameters (enumerated values, else the hostile
    ids) in every combination, times its enumerated query parameters while the count stays within
    BUDGET; each query parameter that would go past it is varied alone, on the first combination."""
    in_path = [(p["name"], enumerated(p) or HOSTILE_IDS) for p in parameters if p["in"] == "path"]
    in_query = [(p["name"], values) for p in parameters if p["in"] == "query" and (values := enumerated(p))]
    combined, alone = list(in_path), []
    for name, values in in_query:
        if math.prod(len(v) for _, v in combined) * len(values) <= BUDGET:
            combined.append((name, values))
        else:
            alone.append((name, values))
    out = []
    for values in itertools.product(*(v for _, v in combined)):
        chosen = dict(zip((n for n, _ in combined), values))
        out.append((path.format(**{n: chosen.pop(n) for n, _ in in_path}), chosen))
    for name, values in alone:
        first_path, first_query = out[0]
        out += [(first_path, {**first_query, name: v}) for v in values]
    return out


def test_no_route_answers_5xx_and_every_error_is_json_with_a_detail(client):
    spec = client.get("/openapi.json").json()
    requests = [case for path, operations in spec["paths"].items() if "get" in operations
                for case in cases(path, operations["get"].get("parameters", []))]
    assert 150 <= len(requests) <= 1000, len(requests)  # bounded, and the walk did reach the enumerated routes
    assert any(p.startswith("/analysis/") and q.get("view") == "micro" for p, q in requests)
    failures, statuses = [], set()
    for path, query in requests:
        try:
            r = client.get(path, params=query)
        except Exception as exc:  # an error the service let out (the client re-raises it): as bad as a 5xx
            failures.append(f"GET {path[:80]} {query}: {exc!r}")
            continue
        statuses.add(r.status_code)
        where = f"{r.status_code} GET {path[:80]} {query}"
        if r.status_code >= 500:
            failures.append(f"{where}: {r.text[:200]}")
        elif r.status_code >= 400:
            try:
                body = r.json()
            except ValueError:
                failures.append(f"{where}: not JSON: {r.text[:200]}")
                continue
            if not (isinstance(body, dict) and isinstance(body.get("detail"), str) and body["detail"]):
                failures.append(f"{where}: no detail: {r.text[:200]}")
            elif r.status_code == 422 and not body.get("parameter"):
                failures.append(f"{where}: names no parameter: {r.text[:200]}")
    assert failures == []
    assert {200, 404, 422} <= statuses  # answers, unknown ids and refused parameters were all met


def test_hostile_ids_are_not_found_or_name_the_parameter(client):
    for ident in HOSTILE_IDS:
        for path in (f"/id/actor/{ident}", f"/actors/{ident}", f"/pairings/{ident}/instruments"):
            r = client.get(path)
            assert r.status_code in (404, 422), (path, r.status_code, r.text[:200])
            if r.status_code == 422:
                assert r.json()["parameter"] in ("ident", "id"), (path, r.text[:200])
    assert client.get("/id/actor/a%20b").json()["detail"] == "no resource actor/a b"


@pytest.fixture(scope="module")
def catalog(engine, base):
    return ReadModel(engine, base)


def test_every_analysis_on_every_view_and_level_answers_or_says_why(catalog):
    directed = {view: network.project(catalog, view, "province").is_directed() for view in network.VIEWS}
    assert {v for v, d in directed.items() if d} == set(network.DIRECTED_VIEWS)
    refused = set()
    for name, view, level in itertools.product(ANALYSES, network.VIEWS, network.LEVELS):
        try:
            result = compute_analysis(catalog, name, view=view, level=level)
        except BadParameter as exc:
            assert exc.name in ("view", "source") and str(exc), (name, view, level, exc)
            refused.add((name, view, exc.name))
            continue
        assert result["view"] == view and isinstance(result["rows"], list)
    undirected = set(network.VIEWS) - set(network.DIRECTED_VIEWS)
    only = {(a.name, v) for a in ANALYSES.values() if a.only for v in network.VIEWS if v not in a.only}  # geography
    assert {(n, v) for n, v, p in refused if p == "view"} == {("concentration", v) for v in undirected} | only
    assert {n for n, _, p in refused if p == "source"} == {"paths"}  # needs a source and a target
