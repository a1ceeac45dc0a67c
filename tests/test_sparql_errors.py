"""SPARQL errors a person can read, and the plain /sparql page (issue 16, point 8).

Syntax errors answer 400 with the parser's line and column and an excerpt with a caret under the place
(HTTP: ``{"detail", "line", "column", "excerpt"}``; the command line: ``describe_error``); an undeclared
prefix is named; an update is refused as read-only (403); the service description and CONSTRUCT /
DESCRIBE answers come in every RDF format, Turtle and TriG with the dataset's prefixes; the plain page
runs a query into a table whose dataset IRIs link to this service's /id/ pages, and links to the
explorer's YASGUI editor.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import rdflib.compare

from api.guard import analyse
from graph.config import PREFIXES
from graph.formats import Use, listed
from graph.sparql_syntax import (
    Position,
    QuerySyntaxError,
    UpdateRefused,
    check,
    describe_error,
    excerpt,
)

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
PA = PREFIXES["pa"]
RDFLIB = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig", "jsonld": "json-ld",
          "rdfxml": "xml"}
GRAPH_FORMATS = [f for f in listed(Use.ANSWER) if "CONSTRUCT" in f.forms]


def caret_column(excerpt_text: str) -> int:
    """The column (from 1, in characters of the quoted line) the caret of an excerpt points at."""
    line, marks = excerpt_text.split("\n")
    gutter = line.index(" | ") + 3
    quoted, pad = line[gutter:], len(marks[gutter:]) - len(marks[gutter:].lstrip(" "))
    width = 0
    for index, ch in enumerate(quoted):  # (a wide character takes two columns of the caret line)
        if width >= pad:
            return index + 1
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return len(quoted) + 1


# a malformed query, where its fault is (line, column), and words the message must have
MALFORMED = [
    ("SELEC * WHERE { ?s ?p ?o }", (1, 1), "'SELEC'"),
    ("SELEC ?s\nWHERE { ?s ?p ?o }", (1, 1), "'SELEC'"),
    ("SELECT ?x WHERE { ?x ?y }", (1, 24), "expected a variable"),
    ("SELECT ?x\nWHERE { ?x ?y ?z . FILTER(?z = ) }", (2, 31), "expected a variable"),
    ("SELECT ?x WHERE { ?x ?y ?z ", (1, 27), "expected '}'"),
    ("SELECT ?x WHERE { ?x ?y ?z } LIMT 3", (1, 30), "'LIMT'"),
    ("SELECT (COUNT(*) AS ?n WHERE { ?s ?p ?o }", (1, 24), "'WHERE'"),
    ('SELECT * WHERE {\n  ?s ?p "中文字" ?x }', (2, 15), "'?x'"),
    ("SELECT * { ?s ?p ?o } SELECT * { ?s ?p ?o }", (1, 23), "second query"),
]


@pytest.mark.parametrize("query, where, words", MALFORMED)
def test_a_syntax_error_has_line_column_and_a_caret_excerpt(client, query, where, words):
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    body = response.json()
    assert (body["line"], body["column"]) == where
    assert f"line {where[0]}, column {where[1]}" in body["detail"] and words in body["detail"]
    lines = body["excerpt"].split("\n")
    assert len(lines) == 2 and lines[0].startswith(f"{where[0]} | ") and set(lines[1].split("|")[1].strip()) == {"^"}
    assert lines[0].split(" | ", 1)[1] == query.split("\n")[where[0] - 1]
    assert caret_column(body["excerpt"]) == where[1]


@pytest.mark.parametrize("query, where, words", MALFORMED[:3])
def test_every_way_of_sending_a_query_gets_the_position(client, query, where, words):
    answers = [
        client.post("/sparql", data={"query": query}),
        client.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"}),
    ]
    for response in answers:
        assert response.status_code == 400
        assert (response.json()["line"], response.json()["column"]) == where


@pytest.mark.parametrize("query, prefix, where", [
    ("SELECT * WHERE { ?s x:p ?o }", "x", (1, 21)),
    ("PREFIX pa: <https://w3id.org/pakg/ontology#>\nSELECT * WHERE {\n  ?p a pa:Pairing ;\n     rdfs:label ?l }",
     "rdfs", (4, 6)),
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o = :thing) }", "", (1, 39)),
])
def test_an_undefined_prefix_is_named_with_its_place(client, query, prefix, where):
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith(f"undefined prefix '{prefix}:' at line {where[0]}, column {where[1]}")
    assert (body["line"], body["column"]) == where
    # none of the engine's dump of character classes
    assert "\\u{" not in body["detail"] and "..=" not in body["detail"] and "[" not in body["detail"]


def test_a_declared_prefix_runs(client):
    query = f"PREFIX pa: <{PA}>\nSELECT (COUNT(*) AS ?n) WHERE {{ ?p a pa:Pairing }}"
    assert client.get("/sparql", params={"query": query}).status_code == 200


UPDATES = [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/x.ttl>",
    "CLEAR ALL",
    "DROP GRAPH <urn:g>",
    "CREATE GRAPH <urn:g>",
    "COPY DEFAULT TO <urn:g>",
    "PREFIX a: <urn:a> INSERT DATA { a:x a:y a:z }",
]


@pytest.mark.parametrize("update", UPDATES)
def test_an_update_is_read_only_over_http(client, update):
    for response in (
        client.get("/sparql", params={"query": update}),
        client.post("/sparql", data={"query": update}),
        client.post("/sparql", content=update.encode(), headers={"Content-Type": "application/sparql-query"}),
    ):
        assert response.status_code == 403
        assert "this endpoint is read-only" in response.json()["detail"]


@pytest.mark.parametrize("update", UPDATES)
def test_an_update_is_read_only_for_the_command_line(update):
    """What the command line uses (graph.sparql_syntax.check / describe_error): the engine's own parser
    would say "expected CONSTRUCT"; the answer says read-only."""
    with pytest.raises(UpdateRefused, match="this endpoint is read-only"):
        check(update)
    with pytest.raises(SyntaxError) as engine_error:
        ox.Store().query(update)
    assert "this endpoint is read-only" in describe_error(update, engine_error.value)


@pytest.mark.parametrize("query, where, words", MALFORMED)
def test_the_command_line_message_has_the_caret(query, where, words):
    with pytest.raises(QuerySyntaxError) as found:
        check(query)
    assert (found.value.line, found.value.column) == where
    for error in (found.value, _engine_error(query)):
        text = describe_error(query, error)
        first, *rest = text.split("\n")
        assert f"line {where[0]}, column {where[1]}" in first and words in first
        assert len(rest) == 2 and caret_column("\n".join(rest)) == where[1]


def _engine_error(query: str) -> BaseException:
    try:
        ox.Store().query(query)
    except SyntaxError as exc:
        return exc
    raise AssertionError(f"the engine read {query!r}")


def test_the_engine_message_is_cleaned_when_it_alone_finds_the_error():
    """An error only the engine's parser finds (here: a message of its own shape): its place, and what
    it expected without character classes."""
    from graph.sparql_syntax import engine_syntax_error

    text = "SELECT * WHERE { ?s ?p ?o }"
    engine = "error at 1:18: expected one of OPTIONAL, ['%'], ['A' ..= 'Z' | '\\u{00C0}'..='\\u{00D6}'], BIND"
    error = engine_syntax_error(text, SyntaxError(engine))
    assert (error.line, error.column) == (1, 18)
    assert str(error) == "malformed query at line 1, column 18: expected one of OPTIONAL, BIND"
    assert caret_column(error.excerpt) == 18


def test_the_guard_and_the_check_agree(built):
    """The service (api.guard.analyse) refuses with the same error the command line gets."""
    for query, _, _ in MALFORMED:
        with pytest.raises(QuerySyntaxError) as one:
            analyse(query, frozenset())
        with pytest.raises(QuerySyntaxError) as two:
            check(query)
        assert str(one.value) == str(two.value) and one.value.where == two.value.where


def test_excerpt_of_a_long_line_keeps_the_place():
    line = "SELECT * WHERE { ?s <http://example.org/" + "a" * 300 + "> ?o ?x }"
    column = line.index("?x") + 1
    shown = excerpt(line, Position(1, column), Position(1, column + 2))
    quoted = shown.split("\n")[0].split(" | ", 1)[1]
    assert len(quoted) < 100 and quoted.startswith("…")
    assert quoted[caret_column(shown) - 1 : caret_column(shown) + 1] == "?x"


def test_syntax_errors_are_declared_in_the_openapi_document(client):
    problem = client.get("/openapi.json").json()["components"]["schemas"]["Problem"]["properties"]
    assert {"detail", "line", "column", "excerpt"} <= set(problem)


# ---- formats -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=lambda f: f.name)
def test_the_service_description_in_every_rdf_format(client, fmt):
    for response in (client.get("/sparql", headers={"Accept": fmt.media_type}),
                     client.get("/sparql", params={"format": fmt.name}, headers={"Accept": "text/html"})):
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == fmt.media_type
        graph = rdflib.Dataset()
        graph.parse(data=response.content, format=RDFLIB[fmt.name])
        services = list(graph.subjects(rdflib.RDF.type, SD.Service))
        assert services, fmt.name
        listed_formats = {str(o) for o in graph.objects(services[0], SD.resultFormat)}
        assert listed_formats == {f.iri for f in listed(Use.ANSWER)}


def test_the_service_description_is_turtle_by_default_and_406_for_a_table(client):
    assert client.get("/sparql").headers["content-type"].startswith("text/turtle")
    refused = client.get("/sparql", headers={"Accept": "text/csv"})
    assert refused.status_code == 406 and "text/turtle" in refused.json()["supported"]


CONSTRUCT = f"PREFIX pa: <{PA}>\nCONSTRUCT {{ ?p a pa:Pairing ; ?q ?o }} WHERE {{ ?p a pa:Pairing ; ?q ?o }} LIMIT 60"


@pytest.mark.parametrize("query", [CONSTRUCT, f"PREFIX pa: <{PA}>\nDESCRIBE ?p WHERE {{ ?p a pa:Programme }} LIMIT 1"],
                         ids=["construct", "describe"])
def test_graph_answers_in_nquads_and_trig_are_the_same_graph(client, query):
    expected = rdflib.Graph().parse(data=client.get("/sparql", params={"query": query, "format": "ntriples"}).content,
                                    format="nt")
    assert len(expected) > 0
    for name, media in (("nquads", "application/n-quads"), ("trig", "application/trig")):
        for response in (client.get("/sparql", params={"query": query, "format": name}),
                         client.get("/sparql", params={"query": query}, headers={"Accept": media})):
            assert response.status_code == 200 and response.headers["content-type"].startswith(media)
            dataset = rdflib.Dataset()
            dataset.parse(data=response.content, format=RDFLIB[name])
            merged = rdflib.Graph()
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                merged.add((s, p, o))
            assert rdflib.compare.isomorphic(merged, expected), name


@pytest.mark.parametrize("name", ["turtle", "trig"])
def test_turtle_and_trig_answers_carry_the_dataset_prefixes(client, name):
    response = client.get("/sparql", params={"query": CONSTRUCT, "format": name})
    text = response.text
    declared = dict(re.findall(r"@prefix (\w*): <([^>]*)>", text, flags=re.I))
    assert declared.get("pa") == PA and declared.get("rdf") == PREFIXES["rdf"]
    assert "pa:Pairing" in text and f"<{PA}Pairing>" not in text


# ---- the plain page ----------------------------------------------------------------------------


def test_the_page_has_a_run_button_its_script_and_a_link_to_the_editor(client):
    page = client.get("/sparql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert 'id="run"' in html and '<script src="/static/sparql-page.js" defer>' in html
    assert 'href="/#/sparql"' in html
    assert "<script>" not in html  # no inline script (the page's policy allows none)
    script = client.get("/static/sparql-page.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")


def test_the_page_script_passes_a_syntax_check():
    node = subprocess.run(["node", "--version"], capture_output=True)
    if node.returncode != 0:
        pytest.skip("node is not installed")
    script = Path(__file__).parent.parent / "web" / "static" / "sparql-page.js"
    checked = subprocess.run(["node", "--check", str(script)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


@pytest.fixture()
def page(browser, server):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    opened.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    opened.errors = errors
    yield opened
    context.close()


def test_run_renders_a_table_with_links_to_this_service(page, server, base, engine):
    query = (f"PREFIX pa: <{PA}>\nPREFIX rdfs: <{PREFIXES['rdfs']}>\n"
             "SELECT ?pairing ?label WHERE { ?pairing a pa:Pairing ; rdfs:label ?label } ORDER BY ?pairing LIMIT 5")
    expected = engine.select(query)
    page.goto(server + "/sparql", wait_until="networkidle")
    assert page.get_attribute("a#editor", "href") == "/#/sparql"
    page.fill("#query", query)
    page.click("#run")
    page.wait_for_selector("#results table tbody tr")
    assert page.inner_text("#results th:nth-child(1)") == "pairing"
    rows = page.query_selector_all("#results tbody tr")
    assert len(rows) == len(expected) == 5
    links = page.eval_on_selector_all("#results tbody td:first-child a", "as => as.map(a => a.href)")
    assert links == [server + "/id/" + row["pairing"].value[len(base):] for row in expected]
    shown = page.eval_on_selector_all("#results tbody td:first-child a", "as => as.map(a => a.textContent)")
    assert shown == [row["pairing"].value for row in expected]
    assert "5" in page.inner_text("#status")
    # a link leads to the service's own page of that pairing
    page.click("#results tbody tr:first-child td:first-child a")
    page.wait_for_load_state()
    assert page.url == links[0] and expected[0]["label"].value in page.content()
    assert page.errors == []


def test_run_renders_construct_and_ask_answers(page, server, engine):
    query = CONSTRUCT.replace("LIMIT 60", "LIMIT 4")
    page.goto(server + "/sparql", wait_until="networkidle")
    page.fill("#query", query)
    page.click("#run")
    page.wait_for_selector("#results table tbody tr")
    assert page.eval_on_selector_all("#results th", "ths => ths.map(t => t.textContent)") == [
        "subject", "predicate", "object"]
    assert len(page.query_selector_all("#results tbody tr")) == len(set(engine.construct(query)))
    page.fill("#query", f"PREFIX pa: <{PA}>\nASK {{ ?p a pa:Pairing }}")
    page.click("#run")
    page.wait_for_selector("#results .boolean")
    assert "true" in page.inner_text("#results .boolean")
    assert page.errors == []


def test_a_malformed_query_shows_the_message_and_the_caret(page, server):
    page.goto(server + "/sparql", wait_until="networkidle")
    page.fill("#query", "SELECT ?x\nWHERE { ?x ?y ?z . FILTER(?z = ) }")
    page.click("#run")
    page.wait_for_selector("#problem:not([hidden])")
    assert "line 2, column 31" in page.inner_text("#problem-detail")
    assert "^" in page.inner_text("#problem-excerpt")
    assert page.query_selector("#results table") is None
    # the place is selected in the text
    start = page.eval_on_selector("#query", "t => t.selectionStart")
    assert start == len("SELECT ?x\n") + 30
    page.fill("#query", "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    page.click("#run")
    page.locator("#problem-detail", has_text="read-only").wait_for()  # (no string eval: the page's CSP forbids it)


def test_an_example_link_runs_its_query(page, server):
    page.goto(server + "/sparql", wait_until="networkidle")
    first = page.query_selector("a.example")
    text = first.get_attribute("data-query")
    first.click()
    page.wait_for_selector("#results table, #results .boolean")
    assert page.input_value("#query") == text
    assert page.errors == []


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
