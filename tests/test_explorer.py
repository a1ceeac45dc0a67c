"""The explorer page in a real browser: Debian's headless Chromium driven by Playwright, on loopback."""
from __future__ import annotations

import csv
from pathlib import Path

import httpx
import pytest

from conftest import check_watched, watch_csp, watched_page

from graph.config import DATA_DIR

playwright = pytest.importorskip("playwright.sync_api")

OUT = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"


@pytest.fixture()
def page(browser, server):
    page = watched_page(browser, server)
    yield page
    check_watched(page)


def shot(page, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)


def test_search_kezhou_reaches_the_jiangsu_kizilsu_pairing_and_its_chain(page):
    page.goto(page.base + "/")
    page.fill("input[name=q]", "克州")
    page.click("button[type=submit]")
    actors = page.locator("section[data-kind=actors]")
    actors.locator("text=克孜勒苏柯尔克孜自治州").first.wait_for()
    pairing = page.locator("section[data-kind=pairings] a", has_text="江苏省 → 克孜勒苏柯尔克孜自治州人民医院")
    pairing.first.wait_for()
    shot(page, "search-kezhou")
    pairing.first.click()
    page.wait_for_url("**/#/pairing/PR-0153")
    page.locator("#chain [data-instrument]").first.wait_for()
    soft = page.locator("[data-step=soft_law] [data-instrument]").evaluate_all("els => els.map(e => e.dataset.instrument)")
    hard = page.locator("[data-step=hard_law] [data-instrument]").evaluate_all("els => els.map(e => e.dataset.instrument)")
    assert soft == ["I-XJ-MED-2016"] and hard == ["I-REAL-70"]
    assert "P-XJ-MED-2016" in page.locator("[data-step=programme]").inner_html()
    assert page.locator("[data-step=soft_law] a.src").first.get_attribute("href").startswith("http://www.ksrykj.com")
    shot(page, "pairing-PR-0153")


def test_the_case_pairing_chain_runs_from_law_to_people(page):
    page.goto(page.base + "/#/pairing/PR-CASE-JK")
    page.locator("#chain [data-instrument]").first.wait_for()
    instruments = set(page.locator("#chain [data-instrument]").evaluate_all("els => els.map(e => e.dataset.instrument)"))
    assert instruments == {"I-CONST", "I-REAL", "I-REAL-70", "I-CASE-KN-AGR", "I-CASE-XI-INSTR", "I-XJ-MED-2016"}
    assert "case-team-10" in page.locator("[data-step=teams]").inner_html()
    # the people: the members of the pairing's teams, as the teams table lists them, each by its label
    # (the interviewees are named by their interview material, e.g. 访谈资料2022X的受访者)
    actors = {row["id"]: row for path in DATA_DIR.glob("*/actors.csv")
              for row in csv.DictReader(path.open(encoding="utf-8"))}
    members = {m for path in DATA_DIR.glob("*/teams.csv") for row in csv.DictReader(path.open(encoding="utf-8"))
               if row["pairing"] == "PR-CASE-JK" for m in row["members"].split(";") if m}
    assert {"case-person-l", "case-person-x", "case-person-t", "case-person-b"} <= members
    people = page.locator("[data-step=people] a")
    assert sorted(people.evaluate_all("els => els.map(e => e.getAttribute('href'))")) == sorted(
        f"#/actor/{m}" for m in members)
    assert sorted(people.all_inner_texts()) == sorted(actors[m]["label_zh"] for m in members)
    assert "访谈资料2022X的受访者" in people.all_inner_texts()
    assert "2021Z" in page.content()
    shot(page, "pairing-case")


def test_network_renders_the_filtered_nodes_and_a_click_lists_pairings(page):
    expected = httpx.get(page.base + "/network", params={"programme": "P-XJ-MED-2016", "level": "institution"}).json()
    page.goto(page.base + "/#/network?programme=P-XJ-MED-2016&level=institution&measure=pagerank")
    page.wait_for_function("() => window.pakgCy && window.pakgCy.nodes().length > 0")
    assert page.evaluate("window.pakgCy.nodes().length") == len(expected["nodes"])
    assert page.locator("#netcount").inner_text().startswith(f"{len(expected['nodes'])} ")
    iri = "https://w3id.org/pakg/id/actor/jiangsu"
    # the node of that IRI (its Cytoscape id is its short id)
    position = page.evaluate("(iri) => { const p = window.pakgCy.nodes().filter((n) => n.data('iri') === iri)[0]"
                             ".renderedPosition(); return [p.x, p.y]; }", iri)
    box = page.locator("#cy").bounding_box()
    page.mouse.click(box["x"] + position[0], box["y"] + position[1])
    page.locator("#nodeinfo a[href='#/pairing/PR-0153']").wait_for()
    # Jiangsu's pairings in the programme, its hospitals' (PR-0154, PR-0155) included
    links = page.locator("#nodeinfo li a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert links == ["#/pairing/PR-0153", "#/pairing/PR-0154", "#/pairing/PR-0155"]
    assert page.locator("#dl-graphml").get_attribute("href").startswith("/network?format=graphml")
    shot(page, "network")


def test_an_example_sparql_query_runs_and_shows_rows(page):
    page.goto(page.base + "/#/sparql")
    page.locator("[data-example='1']").click()
    page.wait_for_function("() => document.querySelectorAll('.yasr table tbody tr').length > 0")
    rows = page.locator(".yasr table tbody tr").count()
    assert rows == 9  # who supports Hotan Prefecture and the units below it
    assert "Beijing" in page.locator(".yasr table").inner_text()
    shot(page, "sparql")


def test_language_switch_and_entity_pages_link_into_the_explorer(page):
    page.goto(page.base + "/#/actor/hotan-prefecture")
    page.locator("h1").wait_for()
    assert "和田地区" in page.locator("h1").inner_text()
    page.click("[data-lang=en]")
    page.wait_for_function("() => document.querySelector('h1') && document.querySelector('h1').innerText.includes('Hotan Prefecture')")
    assert page.locator("header .brand").inner_text() == "Paired-Assistance Knowledge Graph"
    shot(page, "actor-hotan")
    page.goto(page.base + "/id/pairing/PR-0153")
    page.click("a.explorer")
    page.wait_for_url("**/#/pairing/PR-0153")
    page.locator("#chain").wait_for()


def test_the_server_rendered_pages_keep_their_style_under_the_policy(page):
    for path in ("/sparql", "/id/pairing/PR-0153"):
        response = page.goto(page.base + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        # the inline <style> (allowed by its hash) applies: 70rem wide at most, table rows ruled
        assert page.evaluate("getComputedStyle(document.body).maxWidth") == "1120px"
    assert page.evaluate("getComputedStyle(document.querySelector('td')).borderBottomStyle") == "solid"


def test_a_policy_violation_is_caught(browser, server):
    """The watcher above sees what the policy blocks: an inline script put in the explorer never runs."""
    context = browser.new_context()
    try:
        csp = watch_csp(context)
        page = context.new_page()
        page.goto(server + "/")
        page.evaluate("""() => { const s = document.createElement("script");
                                 s.textContent = "window.pakgInline = 1"; document.body.append(s); }""")
        for _ in range(50):  # the report comes asynchronously (at most 5 s)
            if csp:
                break
            page.wait_for_timeout(100)
        assert page.evaluate("window.pakgInline") is None
    finally:
        context.close()
    assert any(v.startswith("script-src-elem blocked inline") for v in csp), csp
