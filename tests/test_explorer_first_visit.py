"""The explorer as a newcomer meets it, in headless Chromium, in both languages: the home page (what the
graph is, its counts, the three users' questions), every vocabulary value in the chosen language (labels
from the graph's own vocabulary, GET /vocabulary), the legend and the stable layout of the network, the
Teams and People panels only when they have something, search by any name through /resolve, governance
routes and reasons with an `as_of` year, CSV/JSON links and facets on lists, the named queries' forms, and
SPARQL results that link to the service's own pages.  Expectations come from the API, never constants."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from conftest import check_watched, table_rows, watched_page
from test_explorer import shot

pytest.importorskip("playwright.sync_api")


@pytest.fixture()
def open_page(browser, server):
    """A page factory: a fresh browser context in a locale; each page must end with no CSP violation, no
    failed request, no error answer and nothing fetched beyond this server."""
    pages = []

    def make(locale: str = "zh-CN"):
        pages.append(watched_page(browser, server, locale))
        return pages[-1]

    yield make
    for page in pages:
        check_watched(page)


def go(page, hash_: str) -> None:
    """Open a view of the explorer and wait until it has rendered."""
    page.goto(page.base + "/" + hash_)
    page.wait_for_function("() => document.getElementById('view').dataset.ready === (location.hash || '#/')")


def expect_refusal(page, status: int) -> None:
    """The view asked something the service refused as it should (an unknown name: 422): that answer is
    expected, not an error of the page."""
    refused = [e for e in page.errors if f" {status}" in e]
    assert refused, page.errors
    page.errors[:] = [e for e in page.errors if e not in refused]


def api(server: str, path: str, lang: str = "en", **params):
    response = httpx.get(server + path, params=params, headers={"Accept-Language": lang}, timeout=60)
    assert response.status_code == 200, (path, response.text[:300])
    return response.json()


@pytest.fixture(scope="module")
def vocabulary(server) -> dict[tuple[str, str], dict[str, str]]:
    """(vocabulary, value) → {"zh", "en"}: the graph's labels; each value also by its concept's or class's
    local name and that name in kebab case (the forms a programme's mode and an instrument's type take in
    the REST answers)."""
    out = {}
    for v in api(server, "/vocabulary")["vocabularies"]:
        for x in v["values"]:
            labels = {"zh": x["label_zh"], "en": x["label_en"]}
            out[(v["name"], x["value"])] = labels
            if x["iri"]:
                local = re.split(r"[#/]", x["iri"])[-1]
                for alias in (local, re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", local).lower()):
                    out.setdefault((v["name"], alias), labels)
    return out


def shown_vocabulary(page) -> list[tuple[str, str, str]]:
    return page.locator("#view [data-vocab]").evaluate_all(
        "els => els.filter(e => e.offsetParent !== null || e.getClientRects().length)"
        ".map(e => [e.dataset.vocab, e.dataset.value, e.textContent.trim()])"
    )


# ---- the vocabulary route -----------------------------------------------------------------------------
def test_the_vocabulary_lists_every_value_with_both_labels(server):
    from graph import vocab

    answer = api(server, "/vocabulary")
    names = {v["name"]: v for v in answer["vocabularies"]}
    for name in (
        "field",
        "mode",
        "level",
        "confidence",
        "source-kind",
        "year-basis",
        "instrument-kind",
        "instrument-type",
    ):
        assert {x["value"] for x in names[name]["values"]} == set(vocab.vocabularies()[name]), name
        for x in names[name]["values"]:
            assert x["label_zh"] and x["label_en"], (name, x)
    assert names["field"]["label_zh"] and names["field"]["scheme"].endswith("#fields")


# ---- the home page ------------------------------------------------------------------------------------
def test_the_home_page_says_what_the_graph_is_and_its_counts_equal_the_api(open_page):
    page = open_page("zh-CN")
    go(page, "#/")
    base = page.base
    assert len(page.locator("[data-testid=intro]").inner_text()) > 40
    for key, path in (
        ("pairings", "/pairings"),
        ("programmes", "/programmes"),
        ("instruments", "/instruments"),
        ("sources", "/sources"),
    ):
        assert page.locator(f"[data-count={key}]").inner_text() == str(api(base, path, limit=1)["total"]), key
    by_confidence = api(base, "/coverage")["total"]["by_confidence"]
    for level, n in by_confidence.items():
        if n:
            assert page.locator(f"[data-count=confidence-{level}]").inner_text() == str(n), level
    assert page.locator("[data-testid=questions] a").count() == 3
    shot(page, "home-zh")


def test_the_first_question_governance_of_jiangsu_to_kizilsu(open_page):
    page = open_page("en-GB")
    go(page, "#/")
    page.locator("[data-question=governance]").click()
    page.wait_for_function("() => document.getElementById('view').dataset.ready?.startsWith('#/governance')")
    query = parse_qs(urlsplit(page.url).fragment.split("?", 1)[1])
    assert query == {"supporter": ["Jiangsu"], "recipient": ["Kizilsu"]}
    pairings = api(page.base, "/pairings", supporter="Jiangsu", recipient="Kizilsu", limit=200)["items"]
    assert pairings
    expected = {i["id"] for p in pairings for i in api(page.base, f"/pairings/{p['id']}/instruments")["items"]}
    shown = set(
        page.locator("table.governance tr[data-instrument]").evaluate_all("els => els.map(e => e.dataset.instrument)")
    )
    assert shown == expected
    # each instrument says why it applies, in a sentence of the chosen language
    reasons = page.locator("table.governance .reason").all_inner_texts()
    assert reasons and all("because" in r for r in reasons), reasons[:3]
    shot(page, "governance-jiangsu-kizilsu")


def test_the_second_question_who_supported_hotan_in_2012(open_page):
    page = open_page("zh-CN")
    go(page, "#/")
    page.locator("[data-question=hotan]").click()
    page.wait_for_function("() => document.getElementById('view').dataset.ready?.startsWith('#/pairings')")
    query = parse_qs(urlsplit(page.url).fragment.split("?", 1)[1])
    expected = api(page.base, "/pairings", recipient=query["recipient"][0], year=query["year"][0], limit=500)
    assert page.locator("[data-testid=total]").inner_text() == f"共 {expected['total']} 条"
    fields = {f for p in expected["items"] for f in p["fields"]}
    shown = {v for name, v, _ in shown_vocabulary(page) if name == "field"}
    assert shown == fields


def test_the_third_question_the_network_with_its_downloads(open_page):
    page = open_page("en-GB")
    go(page, "#/")
    page.locator("[data-question=network]").click()
    page.wait_for_function("() => window.pakgCy && window.pakgCy.nodes().length > 0")
    for fmt in ("graphml", "gexf", "csv"):
        href = page.locator(f"#dl-{fmt}").get_attribute("href")
        assert f"format={fmt}" in href
        assert httpx.get(page.base + href, timeout=60).status_code == 200


# ---- every vocabulary value in the chosen language ------------------------------------------------------
VIEWS = [
    "#/pairing/PR-0153",
    "#/search?q=克州",
    "#/coverage",
    "#/instrument/I-XJ-MED-2016",
    "#/programme/P-XJ-MED-2016",
    "#/actor/hotan-prefecture",
    "#/pairings?recipient=和田地区",
    "#/network?level=province",
]


def test_a_chinese_browser_sees_no_english_vocabulary(open_page, vocabulary):
    page = open_page("zh-CN")
    checked = 0
    for hash_ in VIEWS:
        go(page, hash_)
        for name, value, text in shown_vocabulary(page):
            assert (name, value) in vocabulary, (hash_, name, value)
            assert text == vocabulary[(name, value)]["zh"], (hash_, name, value, text)
            checked += 1
    assert checked > 30
    # the network's menus: fields, modes and levels by their Chinese labels
    for name in ("field", "mode"):
        options = page.locator(f"#netfilters select[name={name}] option").evaluate_all(
            "els => els.filter(o => o.value).map(o => [o.value, o.textContent])"
        )
        assert options and all(text == vocabulary[(name, value)]["zh"] for value, text in options), options
    levels = page.locator("#netfilters select[name=level] option").evaluate_all(
        "els => els.map(o => [o.value, o.textContent])"
    )
    assert all(text == vocabulary[("level", value)]["zh"] for value, text in levels if ("level", value) in vocabulary)
    assert not any(re.search(r"[A-Za-z]{3,}", text) for _, text in levels), levels
    menu = page.locator("header nav").inner_text()
    assert not re.search(r"\b(Search|Network|Coverage|dataset)\b", menu + page.locator("footer").inner_text()), menu


def test_the_language_switch_turns_menus_vocabulary_and_details_to_english(open_page, vocabulary):
    page = open_page("zh-CN")
    go(page, "#/pairing/PR-0153")
    assert page.locator("header .brand").inner_text() == "对口支援知识图谱"
    detail = api(page.base, "/pairings/PR-0153")
    assert page.locator("[data-testid=supporter-detail]").inner_text() == detail["supporter_detail"]
    page.click("[data-lang=en]")
    page.wait_for_function(
        "() => document.documentElement.lang === 'en' && document.getElementById('view').dataset.ready"
    )
    page.wait_for_function(
        "() => document.querySelector('[data-step=hard_law] h3')?.textContent.startsWith('Hard law')"
    )
    assert page.locator("header .brand").inner_text() == "Paired-Assistance Knowledge Graph"
    assert "Network" in page.locator("header nav").inner_text()
    shown = shown_vocabulary(page)
    assert shown and all(text == vocabulary[(name, value)]["en"] for name, value, text in shown), shown
    # the supporter's detail in English too (the data's own translation)
    assert detail["supporter_detail_en"]
    assert page.locator("[data-testid=supporter-detail]").inner_text() == detail["supporter_detail_en"]
    # an error in the chosen language, naming what went wrong
    go(page, "#/pairings?recipient=NoSuchPlaceAnywhere")
    assert page.locator(".error strong").inner_text() == "A parameter is not valid"
    expect_refusal(page, 422)


def test_every_pairing_with_a_supporter_detail_has_it_in_both_languages(server):

    rows = [r for r in table_rows("pairings") if r.get("supporter_detail")]
    assert rows
    for row in rows:
        assert row.get("supporter_detail_en"), row["id"]
        answer = api(server, f"/pairings/{row['id']}")
        assert (answer["supporter_detail"], answer["supporter_detail_en"]) == (
            row["supporter_detail"],
            row["supporter_detail_en"],
        )


# ---- the network: a legend, a stable picture, readable labels --------------------------------------------
def positions(page) -> dict[str, tuple[float, float]]:
    page.wait_for_function("() => window.pakgCy && window.pakgCy.nodes().length > 0")
    return {
        k: (round(x, 1), round(y, 1))
        for k, (x, y) in page.evaluate(
            "Object.fromEntries(window.pakgCy.nodes().map(n => [n.id(), [n.position('x'), n.position('y')]]))"
        ).items()
    }


def test_the_network_layout_is_the_same_on_every_load(open_page):
    first = open_page("zh-CN")
    go(first, "#/network?level=province")
    a = positions(first)
    second = open_page("zh-CN")
    go(second, "#/network?level=province")
    b = positions(second)
    assert a == b and len(a) > 10
    assert len(set(a.values())) == len(a)  # no two nodes on one spot
    english = open_page("en-GB")  # the same picture whatever the language of the labels
    go(english, "#/network?level=province")
    assert positions(english) == a


def test_the_network_has_a_legend_for_colours_sizes_and_edges_and_labels_that_do_not_pile_up(open_page):
    page = open_page("en-GB")
    go(page, "#/network?level=province&measure=pagerank")
    legend = page.locator("[data-testid=netlegend]")
    for node in ("supporter", "recipient", "size"):
        assert legend.locator(f"[data-node={node}]").count() == 1
    assert "PageRank" in legend.locator("[data-node=size]").inner_text()
    assert legend.locator("[data-edge]").count() == 4
    # the legend's colours are the nodes' colours
    colours = page.evaluate("[...new Set(window.pakgCy.nodes().map(n => n.style('background-color')))]")
    fills = legend.locator("[data-node] circle").evaluate_all("els => els.map(e => e.getAttribute('fill'))")
    assert {"#{:02x}{:02x}{:02x}".format(*map(int, re.findall(r"\d+", c)[:3])) for c in colours} <= set(fills)
    node = page.evaluate(
        "(() => { const n = window.pakgCy.nodes()[0];"
        " return [n.style('text-background-opacity'), n.style('min-zoomed-font-size')]; })()"
    )
    assert float(node[0]) > 0 and float(re.findall(r"[\d.]+", node[1])[0]) > 0
    shot(page, "network-legend")


# ---- Teams and People only when there are some ------------------------------------------------------------
def test_teams_and_people_panels_are_hidden_when_empty(open_page, server):
    empty = next(
        p["id"]
        for p in api(server, "/pairings", limit=50)["items"]
        if not api(server, f"/pairings/{p['id']}")["teams"] and not api(server, f"/pairings/{p['id']}")["people"]
    )
    page = open_page("zh-CN")
    go(page, f"#/pairing/{empty}")
    assert page.locator("[data-step=teams]").count() == 0 and page.locator("[data-step=people]").count() == 0
    assert page.locator("[data-step=pairing]").count() == 1
    go(page, "#/pairing/PR-CASE-JK")
    assert page.locator("[data-step=teams]").count() == 1 and page.locator("[data-step=people]").count() == 1


# ---- search by any name -------------------------------------------------------------------------------------
def pairing_links(page) -> set[str]:
    return set(
        page.locator("section[data-kind=pairings] ul.results > li > a").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))"
        )
    )


def test_kizilsu_and_its_chinese_short_name_find_the_same_pairings(open_page, server):
    page = open_page("en-GB")
    go(page, "#/search?q=Kizilsu")
    english = pairing_links(page)
    go(page, "#/search?q=" + "克州")
    chinese = pairing_links(page)
    expected = {f"#/pairing/{p['id']}" for p in api(server, "/pairings", recipient="克州", limit=500)["items"]}
    assert expected and expected <= english and expected <= chinese
    resolved = api(server, "/resolve", name="Kizilsu")
    assert page.locator(f"[data-resolved='{resolved['id']}']").count() == 1
    # a name that also fits other places says so
    hotan = api(server, "/resolve", name="Hotan")
    go(page, "#/search?q=Hotan")
    others = page.locator("[data-testid=others] a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert others == [f"#/{o['kind']}/{o['id']}" for o in hotan.get("others", [])]


def test_an_unknown_name_shows_the_closest_candidates(open_page, server):
    name = "Kizilsuu"
    answer = httpx.get(server + "/resolve", params={"name": name}, timeout=30)
    assert answer.status_code == 422
    expected = [c["id"] for c in answer.json()["candidates"]]
    page = open_page("zh-CN")
    go(page, f"#/pairings?recipient={name}")
    shown = page.locator("[data-testid=candidates] [data-candidate]").evaluate_all(
        "els => els.map(e => e.dataset.candidate)"
    )
    assert shown == expected and shown
    assert page.locator(".error strong").inner_text() == "参数无效"
    expect_refusal(page, 422)


# ---- governance: routes, reasons, a year -----------------------------------------------------------------------
def test_a_pairing_s_governance_shows_each_instrument_once_with_its_routes_and_an_as_of_year(open_page, server):
    page = open_page("zh-CN")
    for year in ("", "2012"):
        params = {"as_of": year} if year else {}
        expected = api(server, "/pairings/PR-0025/instruments", lang="zh", **params)["items"]
        go(page, "#/pairing/PR-0025" + (f"?as_of={year}" if year else ""))
        shown = page.locator("#chain [data-instrument]").evaluate_all("els => els.map(e => e.dataset.instrument)")
        assert sorted(shown) == sorted(i["id"] for i in expected) and len(shown) == len(set(shown))
        for item in expected:
            entry = page.locator(f"#chain [data-instrument='{item['id']}']")
            assert entry.locator("[data-via]").count() == len(item["routes"])
            assert item["reason_zh"] in entry.locator(".reason").text_content()
    assert page.locator("[data-testid=as-of] input[name=as_of]").input_value() == "2012"


def test_a_law_links_its_articles_and_an_article_its_law(open_page, server):
    law = api(server, "/instruments/I-CONST")
    assert law["provisions"]
    page = open_page("zh-CN")
    go(page, "#/instrument/I-CONST")
    links = page.locator("table.facts a[href^='#/provision/']").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    assert sorted(links) == sorted(f"#/provision/{p['id']}" for p in law["provisions"])
    page.locator(f"a[href='{links[0]}']").click()
    page.wait_for_function("() => document.getElementById('view').dataset.ready === location.hash")
    article = api(server, "/instruments/" + links[0].rsplit("/", 1)[1])
    assert page.locator("[data-testid=part-of] a").get_attribute("href") == f"#/instrument/{article['part_of']['id']}"
    assert page.locator("h1").inner_text().startswith(article["label_zh"])
    issuers = page.locator("table.facts a[href^='#/actor/']").all_inner_texts()
    assert {i["label_zh"] for i in article["issuers"]} <= set(issuers)


# ---- lists: CSV and JSON, facets ---------------------------------------------------------------------------------
def test_a_list_links_to_its_csv_and_json_and_its_facets_filter_it(open_page, server):
    import csv
    import io

    page = open_page("en-GB")
    go(page, "#/pairings?recipient=" + "克州")
    total = api(server, "/pairings", recipient="克州", limit=1)["total"]
    csv_href = page.locator("[data-testid=downloads] a[data-format=csv]").get_attribute("href")
    json_href = page.locator("[data-testid=downloads] a[data-format=json]").get_attribute("href")
    rows = list(csv.DictReader(io.StringIO(httpx.get(server + csv_href, timeout=60).text)))
    assert len(rows) == total
    assert httpx.get(server + json_href, timeout=60).json()["total"] == total
    facet = page.locator("[data-facet=field] a.facet").first
    value = facet.get_attribute("data-facet-value")
    count = int(facet.locator("xpath=..").locator(".sub").inner_text())
    facet.click()
    page.wait_for_function(
        "(v) => location.hash.includes('field=') && document.getElementById('view').dataset.ready === location.hash",
        arg=value,
    )
    assert page.locator("[data-testid=total]").inner_text() == f"{count} in all"
    assert api(server, "/pairings", recipient="克州", field=value, limit=1)["total"] == count


# ---- named queries -----------------------------------------------------------------------------------------------
def test_the_named_queries_page_has_a_form_per_query_and_runs_one(open_page, server):
    listed = api(server, "/queries")
    page = open_page("en-GB")
    go(page, "#/queries")
    assert page.locator("details.query").count() == len(listed)
    for query in listed:  # a field per parameter, by its name
        names = page.locator(f"details[data-query={query['name']}] input").evaluate_all("els => els.map(e => e.name)")
        assert names == [p["name"] for p in query["parameters"]], query["name"]
    section = page.locator("details[data-query=instruments_for_pairing]")
    section.locator("summary").click()
    section.locator("input[name=pairing]").fill("PR-0002")
    section.locator("button[type=submit]").click()
    answer = page.locator("details[data-query=instruments_for_pairing] [data-testid=rows]")
    answer.wait_for()
    assert "name=instruments_for_pairing" in page.url and "pairing=PR-0002" in page.url
    expected = httpx.get(
        server + "/queries/instruments_for_pairing",
        params={"pairing": "PR-0002"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    ).json()
    assert answer.inner_text().startswith(f"{len(expected['results']['bindings'])} ")
    hrefs = section.locator("table a[data-iri]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    # the dataset's resources and the ontology's terms at this service's own pages
    assert hrefs and all(h.startswith(("/id/", "/ontology#")) for h in hrefs), hrefs
    assert any(h.startswith("/id/") for h in hrefs)
    csv_href = section.locator("a[data-format=csv]").get_attribute("href")
    assert httpx.get(server + csv_href, timeout=60).headers["content-type"].startswith("text/csv")


# ---- SPARQL results link to this service's pages -------------------------------------------------------------------
def test_sparql_results_link_to_the_service_s_own_entity_pages(open_page, server):
    query = (
        "PREFIX pa: <https://w3id.org/pakg/ontology#>\n"
        "SELECT ?pairing ?programme WHERE { ?pairing a pa:Pairing ; pa:programme ?programme } ORDER BY ?pairing LIMIT 5"
    )
    page = open_page("zh-CN")
    go(page, "#/sparql")
    page.evaluate("(q) => { const tab = window.pakgYasgui.getTab(); tab.setQuery(q); tab.query(); }", query)
    page.wait_for_function("() => document.querySelectorAll('.yasr table tbody tr a[data-iri]').length >= 10")
    links = page.locator(".yasr table tbody a[data-iri]").evaluate_all(
        "els => els.map(e => [e.dataset.iri, e.getAttribute('href')])"
    )
    # each IRI of the dataset (https://w3id.org/pakg/id/…) at this service's /id/… page
    assert all(href == "/id/" + iri.split("/id/", 1)[1] for iri, href in links), links
    assert httpx.get(server + links[0][1], headers={"Accept": "text/html"}, timeout=30).status_code == 200
    shot(page, "sparql-local-links")
